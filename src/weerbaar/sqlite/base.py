"""Django's SQLite backend, with writers that queue instead of polling.

SQLite lets one transaction write at a time. A second writer asking for the lock is told
"busy" and sleeps (1, 2, 5, 10 … 100 ms) before it asks again, so under many simultaneous
saves a request can sleep long after the lock came free, and the processor idles meanwhile.
Here every write transaction (``BEGIN IMMEDIATE``) first takes an exclusive ``flock`` on a
file beside the database: the writers of all threads and processes on this machine queue in
the kernel and the next one runs the moment the lock is released. SQLite's own locking stays
as it was underneath (and still guards writes outside a transaction).
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock_file: int | None = None  # this connection's descriptor of the lock file
        self._locked = False

    def _start_transaction_under_autocommit(self) -> None:
        mode = getattr(self, "transaction_mode", None)
        if mode in ("IMMEDIATE", "EXCLUSIVE") and not self.is_in_memory_db():
            if self._lock_file is None:
                self._lock_file = os.open(
                    f"{self.settings_dict['NAME']}.writelock", os.O_RDWR | os.O_CREAT, 0o600
                )
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)  # waits in the kernel, GIL released
            self._locked = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._unlock()
            raise

    def _unlock(self) -> None:
        if self._locked and self._lock_file is not None:
            self._locked = False
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._unlock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._unlock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._unlock()
            if self._lock_file is not None:
                os.close(self._lock_file)
                self._lock_file = None
