"""The ``weerbaar`` console script: Django's management commands with our settings, and
``weerbaar serve``, the application server (``weerbaar.server``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "weerbaar"
    if args[1:2] == ["serve"]:
        from weerbaar.server import serve

        serve(args[2:])
        return
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
