"""``weerbaar serve``: the application server that ``make demo`` and production run.

Granian (HTTP in Rust, the application in Python threads): on a two-core server it handles an
answer save in about a fifth less processor time than gunicorn's threaded worker, and spreads
kept-alive connections over its workers more evenly (see ``bench/RESULTS.md``). Worker
processes and threads are sized from the CPU count; every setting can be overridden through
the environment (see ``docs/operations.md``):

* ``WEERBAAR_BIND`` (``127.0.0.1:8000``): address and port, or ``unix:/path/to/socket``.
* ``WEERBAAR_WORKERS`` (one per CPU) and ``WEERBAAR_THREADS`` (4): processes, and threads in
  each. Python runs one thread of a process at a time, so processes use the cores and threads
  cover the time a request waits for the database.
* ``WEERBAAR_BACKLOG`` (1024): connections the system holds while every thread is busy.
* ``WEERBAAR_ACCESS_LOG`` (1): a line per request on standard output.
* ``WEERBAAR_TASK_WORKER`` (1): also run the background task queue (reminders, exports, round
  openings) in a child process, so one command is all a small installation needs.

Static files are served by the application itself (WhiteNoise), from the installed packages
in development and from ``collectstatic``'s output in production.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from weerbaar.settings import env, envbool, envint

APPLICATION = "weerbaar.wsgi:application"


def cpu_count() -> int:
    """CPUs this process may run on (a container's or cgroup's share, where the OS says)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _at_least(name: str, value: int, minimum: int) -> int:
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def _address(bind: str) -> dict[str, Any]:
    """``host:port``, ``[ipv6]:port`` or ``unix:/path`` as Granian's arguments."""
    from pathlib import Path

    if bind.startswith("unix:"):
        return {"uds": Path(bind.removeprefix("unix:"))}
    host, separator, port = bind.rpartition(":")
    if not separator or not port.isdigit():
        raise ImproperlyConfigured(f"WEERBAAR_BIND must be host:port or unix:/path, not {bind!r}")
    return {"address": host.strip("[]") or "127.0.0.1", "port": int(port)}


def options(argv: list[str] | None = None) -> dict[str, Any]:
    """The server's settings from the environment, overridden by command-line flags."""
    parser = argparse.ArgumentParser(prog="weerbaar serve", description=__doc__.split("\n")[0])
    parser.add_argument("--bind", help="host:port or unix:/path (WEERBAAR_BIND)")
    parser.add_argument("--workers", type=int, help="processes (WEERBAAR_WORKERS)")
    parser.add_argument("--threads", type=int, help="threads per process (WEERBAAR_THREADS)")
    parser.add_argument(
        "--no-task-worker",
        action="store_true",
        help="do not run the background task queue beside the web server",
    )
    args = parser.parse_args(argv)
    workers = args.workers or envint("WEERBAAR_WORKERS", cpu_count())
    threads = args.threads or envint("WEERBAAR_THREADS", 4)
    return {
        "bind": args.bind or env("WEERBAAR_BIND", "127.0.0.1:8000"),
        "workers": _at_least("WEERBAAR_WORKERS", workers, 1),
        "threads": _at_least("WEERBAAR_THREADS", threads, 1),
        "backlog": _at_least("WEERBAAR_BACKLOG", envint("WEERBAAR_BACKLOG", 1024), 128),
        "access_log": envbool("WEERBAAR_ACCESS_LOG", True),
        "task_worker": not args.no_task_worker and envbool("WEERBAAR_TASK_WORKER", True),
    }


def _check_ready() -> None:
    """Refuse to start on a setup that would answer with errors (no migrations, no static)."""
    from django.conf import settings
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connections.close_all()  # the workers open their own
    if pending:
        sys.exit("weerbaar serve: the database is not up to date; run `weerbaar migrate` first.")
    if settings.PRODUCTION and not (settings.STATIC_ROOT / "staticfiles.json").exists():
        sys.exit("weerbaar serve: no static files; run `weerbaar collectstatic --no-input` first.")


def server(config: dict[str, Any]) -> Any:
    """The Granian server for ``config`` (from ``options``), not started."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    return Granian(
        APPLICATION,
        interface=Interfaces.WSGI,
        http=HTTPModes.http1,
        websockets=False,
        workers=config["workers"],
        blocking_threads=config["threads"],
        backlog=config["backlog"],
        # A slow client gets 10 s to send its request headers (no connections held idle
        # by trickling bytes); kept-alive connections are reused.
        http1_settings=HTTP1Settings(header_read_timeout=10_000, keep_alive=True),
        log_access=config["access_log"],
        respawn_failed_workers=True,
        workers_kill_timeout=30,
        **_address(config["bind"]),
    )


def serve(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    config = options(argv)
    import django

    django.setup()
    _check_ready()
    worker = _start_task_worker() if config["task_worker"] else None
    try:
        server(config).serve()
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()


def _start_task_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "weerbaar", "worker"],
        env={**os.environ},
    )
