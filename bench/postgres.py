"""Is the PostgreSQL of ``make bench`` there? Creates its database when it is missing.

``python bench/postgres.py URL`` exits 0 when the server answers (and the database exists
now), 1 when it does not, so ``make bench`` runs the PostgreSQL half only where it can.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit


def main(url: str) -> int:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        print(f"PostgreSQL at {parts.hostname}:{parts.port or 5432}: {exc}".strip())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
