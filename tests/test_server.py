"""``weerbaar serve``: the application server ``make demo`` and production run."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from weerbaar import server

WEERBAAR = str(Path(sys.executable).parent / "weerbaar")


def test_workers_follow_the_cpus_and_the_environment_overrides(monkeypatch) -> None:
    monkeypatch.setattr(server, "cpu_count", lambda: 6)
    for name in ("WEERBAAR_WORKERS", "WEERBAAR_THREADS", "WEERBAAR_BIND", "WEERBAAR_TASK_WORKER"):
        monkeypatch.delenv(name, raising=False)
    defaults = server.options([])
    assert (defaults["workers"], defaults["threads"], defaults["bind"]) == (6, 4, "127.0.0.1:8000")
    assert defaults["task_worker"] is True
    monkeypatch.setenv("WEERBAAR_WORKERS", "3")
    monkeypatch.setenv("WEERBAAR_THREADS", "8")
    monkeypatch.setenv("WEERBAAR_TASK_WORKER", "0")
    configured = server.options(["--bind", "0.0.0.0:9000"])
    assert (configured["workers"], configured["threads"], configured["bind"]) == (
        3,
        8,
        "0.0.0.0:9000",
    )
    assert configured["task_worker"] is False


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WEERBAAR_WORKERS", "veel", "WEERBAAR_WORKERS must be an integer, not 'veel'"),
        ("WEERBAAR_THREADS", "0", "WEERBAAR_THREADS must be at least 1, not 0"),
        ("WEERBAAR_TASK_WORKER", "misschien", "WEERBAAR_TASK_WORKER must be a boolean"),
    ],
)
def test_a_bad_setting_stops_the_start_with_its_name(monkeypatch, name, value, message) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as refused:
        server.options([])
    assert str(refused.value).startswith(message)


def test_addresses_are_host_and_port_or_a_unix_socket() -> None:
    assert server._address("127.0.0.1:8000") == {"address": "127.0.0.1", "port": 8000}
    assert server._address("[::1]:8443") == {"address": "::1", "port": 8443}
    assert server._address("unix:/run/weerbaar.sock") == {"uds": Path("/run/weerbaar.sock")}
    with pytest.raises(ImproperlyConfigured):
        server._address("localhost")


def _processes(text: str, parent: int | None = None) -> list[int]:
    """Running processes whose command line holds ``text`` (children of ``parent``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if text in command and (parent is None or ppid == parent):
            found.append(int(entry.name))
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(WEERBAAR_DATA_DIR=str(tmp_path), WEERBAAR_DEBUG="0", WEERBAAR_ACCESS_LOG="0")
    return env


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path) -> None:
    result = subprocess.run(
        [WEERBAAR, "serve", "--bind", f"127.0.0.1:{_free_port()}", "--no-task-worker"],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "the database is not up to date; run `weerbaar migrate` first." in result.stderr


def test_serve_answers_pages_and_static_files_and_stops_on_a_signal(tmp_path) -> None:
    env = _environment(tmp_path)
    subprocess.run([WEERBAAR, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [WEERBAAR, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/healthz")
                health = connection.getresponse()
                break
            except OSError:
                assert time.monotonic() < deadline, "weerbaar serve did not answer within 60 s"
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                time.sleep(0.3)
        assert (health.status, health.read()) == (200, b'{"status": "ok", "database": "ok"}')
        # The same connection again (kept alive): a stylesheet from the application itself.
        connection.request("GET", "/static/weerbaar/weerbaar.css")
        css = connection.getresponse()
        assert (css.status, css.getheader("Content-Type")) == (200, 'text/css; charset="utf-8"')
        assert b"--accent" in css.read()
        connection.request("GET", "/accounts/login/", headers={"Accept-Language": "nl"})
        login = connection.getresponse()
        assert login.status == 200
        assert "Aanmelden" in login.read().decode()
        assert _processes("weerbaar worker", parent=process.pid), "the task queue runs beside"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    assert process.returncode == 0
    assert _processes(f"--bind 127.0.0.1:{port}") == []
