"""Answer saves under 50 concurrent clients, over HTTP, against the server ``make demo`` runs.

Builds a throw-away database (SQLite in a temporary folder, or a separate database next to
``DATABASE_URL``), starts ``weerbaar serve`` on it (gunicorn, sized from the CPU count as in
``make demo`` and production), and lets 50 respondents save their own answers at the same time
through ``PUT /api/v1/assessments/{id}/answers/{code}`` with a bearer token: each changes the
maturity level and the explanation, and sends the version it read last. The load comes from
one process with 50 keep-alive connections (asyncio), on the same machine.

Reports throughput, p50/p95 latency, errors (anything but 200, and any connection error) and
lost updates: afterwards every acknowledged save must be in the database, with its history row
holding what was sent, and every answer must hold the last save acknowledged. The ceiling
measured in the same run: on PostgreSQL ``pgbench -N`` (simple updates, 50 clients); on SQLite
50 threads doing raw single-row UPDATEs in immediate transactions.

Targets (issue 8): >= 300 saves/s, p95 < 250 ms, 0 errors, 0 lost updates. Exits 1 when one is
missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import ROOT, record

CLIENTS = 50
WARMUP_SAVES = 5
SAVES_PER_CLIENT = int(os.environ.get("BENCH_SAVES_PER_CLIENT", "60"))
TIME_LIMIT = 180.0
TARGET_PER_S = 300
TARGET_P95_MS = 250
ORIGINAL_DB_NAME = ""


def setup() -> dict[str, str]:
    """A fresh database for the run; returns the environment the server needs to use it."""
    data_dir = tempfile.mkdtemp(prefix="weerbaar-bench-")
    os.environ["WEERBAAR_DATA_DIR"] = data_dir
    os.environ.setdefault("WEERBAAR_DEBUG", "0")  # as in production: no query log
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    env = {"WEERBAAR_DATA_DIR": data_dir}
    if os.environ.get("DATABASE_URL"):
        # A separate database, so the bench never touches real data.
        global ORIGINAL_DB_NAME
        ORIGINAL_DB_NAME = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.environ.get(
            "BENCH_DATABASE_NAME", "weerbaar_bench_saves"
        )
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        url = os.environ["DATABASE_URL"]
        env["DATABASE_URL"] = url[: url.rindex("/") + 1] + name
    else:
        call_command("migrate", verbosity=0)
    call_command("framework", "load", verbosity=0)
    return env


def build() -> list[dict[str, Any]]:
    import datetime

    from weerbaar.accounts.models import User, api_token_create
    from weerbaar.assessments.rounds import round_open
    from weerbaar.frameworks.export import get_framework
    from weerbaar.frameworks.models import Item, PartType
    from weerbaar.organisations.models import Functionary, Membership, Organisation, Region, Role

    region = Region.objects.create(name="Benchregio", code="bench")
    coordinator = User.objects.create_user("coordinator@bench.test", "x" * 20)
    organisations = [
        Organisation.objects.create(region=region, name=f"Ziekenhuis {n:02d}", sector="ziekenhuis")
        for n in range(CLIENTS // 5)
    ]
    framework = get_framework("kader-weerbare-zorg")
    round_open(
        region=region,
        framework=framework,
        organisations=organisations,
        title="Bench",
        opens_on=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 12, 31),
        by=coordinator,
    )
    roles = ["ciso", "hr", "manager_facilitair", "capaciteitsmanager", "adviseur_crisisbeheersing"]
    # Questions with a maturity level that name exactly one of these roles: each client has
    # its own, so a 409 in this run would be a bug, not two people editing the same answer.
    own_codes: dict[str, list[str]] = {role: [] for role in roles}
    for item in Item.objects.filter(section__framework=framework).prefetch_related(
        "responsible", "parts"
    ):
        keys = {role.key for role in item.responsible.all()} & set(roles)
        maturity = any(part.type == PartType.MATURITY for part in item.parts.all())
        if len(keys) == 1 and maturity:
            own_codes[keys.pop()].append(item.code)
    clients = []
    for n in range(CLIENTS):
        organisation = organisations[n // 5]
        role = roles[n % 5]
        user = User.objects.create_user(f"respondent{n}@bench.test", "x" * 20)
        Membership.objects.create(
            user=user, region=region, organisation=organisation, role=Role.RESPONDENT
        )
        Functionary.objects.create(organisation=organisation, role_key=role, user=user)
        _token, raw = api_token_create(user=user, name="bench")
        assessment = organisation.assessments.get()
        assert own_codes[role], role
        clients.append(
            {"n": n, "token": raw, "assessment": assessment.pk, "codes": sorted(own_codes[role])}
        )
    return clients


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """``weerbaar serve`` on the bench database, as ``make demo`` starts it."""
    port = free_port()
    server_env = {
        **os.environ,
        **env,
        "WEERBAAR_DEBUG": "0",
        "WEERBAAR_ACCESS_LOG": "",
        "WEERBAAR_SECRET_KEY": secrets.token_urlsafe(50),
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "weerbaar"), "serve", "--bind", f"127.0.0.1:{port}"],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            if process.poll() is not None:
                raise SystemExit("weerbaar serve did not start") from None
            time.sleep(0.2)
    process.kill()
    raise SystemExit("weerbaar serve did not listen within 60 s")


class Connection:
    """One keep-alive HTTP/1.1 connection (what a browser or an API client holds)."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        payload = json.dumps(body).encode() if body is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        )
        self.writer.write(head.encode() + payload)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed by the server")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            content = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                content += await self.reader.readexactly(size)
                await self.reader.readline()
        else:
            content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, json.loads(content) if content else None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def run_clients(port: int, clients: list[dict[str, Any]]) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    acknowledged: list[tuple[int, str, int, str]] = []  # assessment, code, version, text
    started_all = asyncio.Event()
    ready = 0

    def arrived() -> None:
        """One more client warmed up (or failed): measuring starts when all have."""
        nonlocal ready
        ready += 1
        if ready == len(clients):
            started_all.set()

    async def client(spec: dict[str, Any]) -> None:
        connection = Connection(port, spec["token"])
        path = f"/api/v1/assessments/{spec['assessment']}/answers"
        try:
            status, answers = await connection.request("GET", path)
        except (ConnectionError, OSError, asyncio.IncompleteReadError) as exc:
            status, answers = 0, type(exc).__name__
        if status != 200:
            errors.append(f"list {status}")
            arrived()  # the others do not wait for this one
            return
        versions = {
            a["item_code"]: a["version"] for a in answers if a["item_code"] in spec["codes"]
        }
        codes = [code for code in spec["codes"] if code in versions]

        async def save(n: int, measured: bool) -> None:
            code = codes[n % len(codes)]
            text = f"bench client {spec['n']} save {n}"
            body = {
                "version": versions[code],
                "explanation": text,
                "values": {"maturity": str(n % 5)},
            }
            began = time.perf_counter()
            try:
                status, saved = await connection.request("PUT", f"{path}/{code}", body)
            except (ConnectionError, OSError, asyncio.IncompleteReadError) as exc:
                errors.append(f"put {type(exc).__name__}")
                await connection.close()
                return
            elapsed = time.perf_counter() - began
            if status != 200:
                errors.append(f"put {status}")
                return
            versions[code] = saved["version"]
            if measured:
                latencies.append(elapsed)
                acknowledged.append((spec["assessment"], code, saved["version"], text))

        for n in range(WARMUP_SAVES):
            await save(n, measured=False)
        arrived()
        await started_all.wait()
        deadline = time.monotonic() + TIME_LIMIT
        for n in range(WARMUP_SAVES, WARMUP_SAVES + SAVES_PER_CLIENT):
            if time.monotonic() > deadline:
                break
            await save(n, measured=True)
        await connection.close()

    tasks = [asyncio.create_task(client(spec)) for spec in clients]
    await started_all.wait()
    began = time.perf_counter()
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "saves": len(latencies),
        "errors": errors,
        "acknowledged": acknowledged,
        "throughput": len(latencies) / wall if wall else 0.0,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else 0.0,
    }


def lost_updates(acknowledged: list[tuple[int, str, int, str]]) -> list[str]:
    """Acknowledged saves the database does not hold, with their history row, as sent."""
    from weerbaar.assessments.models import Answer, AnswerRevision

    revisions = {
        (assessment, code, version): new.get("explanation")
        for assessment, code, version, new in AnswerRevision.objects.filter(
            answer__assessment_id__in={a for a, _c, _v, _t in acknowledged}
        ).values_list("answer__assessment_id", "answer__item__code", "version", "new")
    }
    answers = {
        (assessment, code): (version, explanation)
        for assessment, code, version, explanation in Answer.objects.filter(
            assessment_id__in={a for a, _c, _v, _t in acknowledged}
        ).values_list("assessment_id", "item__code", "version", "explanation")
    }
    lost = [
        f"{assessment}/{code} v{version}: history row missing or different"
        for assessment, code, version, text in acknowledged
        if revisions.get((assessment, code, version)) != text
    ]
    last: dict[tuple[int, str], tuple[int, str]] = {}
    for assessment, code, version, text in acknowledged:
        if version > last.get((assessment, code), (0, ""))[0]:
            last[(assessment, code)] = (version, text)
    lost += [
        f"{key[0]}/{key[1]}: holds {answers.get(key)}, last acknowledged {expected}"
        for key, expected in last.items()
        if answers.get(key) != expected
    ]
    return lost


def ceiling() -> tuple[str, float]:
    from django.conf import settings
    from django.db import connection

    pgbench = shutil.which("pgbench")
    if connection.vendor == "postgresql":
        if not pgbench:
            raise SystemExit(
                "pgbench is needed for the PostgreSQL ceiling (apt install postgresql-client)"
            )
        db = settings.DATABASES["default"]
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        args = [
            "-h",
            str(db.get("HOST") or "127.0.0.1"),
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            str(db.get("USER") or "postgres"),
        ]
        name = str(db["NAME"])
        subprocess.run(
            [pgbench, *args, "-i", "-q", "-s", "1", name],
            env=env,
            check=True,
            capture_output=True,
        )
        result = subprocess.run(
            [pgbench, *args, "-c", str(CLIENTS), "-j", "2", "-T", "10", "-N", name],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        match = re.search(r"tps = ([0-9.]+)", result.stdout)
        return "pgbench -N (simple update), 50 clients", float(match.group(1)) if match else 0.0
    # SQLite: 50 threads, raw single-row updates, each in an immediate transaction.
    from django.db import connections, transaction

    from weerbaar.organisations.models import Region

    region_id = Region.objects.get(code="bench").pk
    count = 0
    lock = threading.Lock()
    stop = time.monotonic() + 5

    def worker() -> None:
        nonlocal count
        while time.monotonic() < stop:
            with transaction.atomic(), connections["default"].cursor() as cursor:
                cursor.execute(
                    "UPDATE organisations_region SET min_group_size = min_group_size WHERE id = %s",
                    [region_id],
                )
            with lock:
                count += 1
        connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return "raw UPDATE in immediate transactions, 50 threads", count / (
        time.perf_counter() - started
    )


def main() -> int:
    env = setup()
    from django.db import connection

    clients = build()
    connection.close()
    server, port = serve(env)
    try:
        result = asyncio.run(run_clients(port, clients))
    finally:
        server.terminate()
        try:
            _out, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _out, err = server.communicate()
    lost = lost_updates(result["acknowledged"])
    label, tps = ceiling()
    vendor = connection.vendor
    if ORIGINAL_DB_NAME:
        connection.creation.destroy_test_db(ORIGINAL_DB_NAME, verbosity=0)
    from weerbaar.server import options

    config = options([])
    print(
        f"database: {vendor}; server: weerbaar serve ({config['workers']} processes x "
        f"{config['threads']} threads); {CLIENTS} clients x {SAVES_PER_CLIENT} saves over "
        "HTTP (PUT, bearer token, keep-alive)"
    )
    p95_ms = result["p95"] * 1000
    print(
        f"answer saves: {result['throughput']:.0f}/s (target >= {TARGET_PER_S}), "
        f"p50 {result['p50'] * 1000:.0f} ms, p95 {p95_ms:.0f} ms (target < {TARGET_P95_MS}), "
        f"errors {len(result['errors'])}, lost updates {len(lost)} (of {result['saves']})"
    )
    ratio = result["throughput"] / tps if tps else 0.0
    print(f"ceiling ({label}): {tps:.0f}/s; ratio saves/ceiling = {ratio:.3f}")
    if result["errors"]:
        print("errors:", sorted(set(result["errors"])))
        print(err.decode(errors="replace")[-3000:])
    if lost:
        print("lost:", lost[:10])
    record(
        vendor,
        {
            "saves_per_s": round(result["throughput"], 1),
            "saves_p50_ms": round(result["p50"] * 1000, 1),
            "saves_p95_ms": round(p95_ms, 1),
            "saves_errors": len(result["errors"]),
            "saves_lost": len(lost),
            "saves_ratio_pgbench": round(ratio, 4),
            "saves_ceiling_per_s": round(tps, 1),
            "saves_server": f"{config['workers']}x{config['threads']} granian",
        },
    )
    missed = (
        result["throughput"] < TARGET_PER_S
        or p95_ms >= TARGET_P95_MS
        or bool(result["errors"])
        or bool(lost)
        or result["saves"] != CLIENTS * SAVES_PER_CLIENT
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
