from weerbaar.cli import main

main()
