"""Django's PostgreSQL backend, with a health check that costs no round trip.

Persistent connections are checked before each request reuses them (``CONN_HEALTH_CHECKS``),
so a connection the server dropped (a restart, a failover, an idle timeout) is replaced
instead of failing the request. Django checks by running ``SELECT 1``: one round trip on
every request. A server that ends a connection says so on the socket (a closing message,
then end of file), so here the check first looks whether anything is waiting to be read; only
then, or when the connection already knows it is broken, does it ask the server.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection: Any = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _w, _x = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if readable:  # the server sent something unasked: ask it properly
            return bool(super().is_usable())
        return True
