"""Answer saves under 50 concurrent clients, over HTTP, against a same-run ceiling.

Starts the Weerbaar WSGI app in-process on 127.0.0.1 (a threaded server), creates
50 respondents each answering their own questions through ``PUT /api/v1/assessments/...``
with a bearer token, and reports throughput, p50/p95 latency and errors (must be 0).
The ceiling measured in the same run: on PostgreSQL, ``pgbench`` (simple-update, 50
clients); on SQLite, 50 threads doing raw single-row UPDATEs in immediate transactions.
Loopback only; the run is bounded in requests and time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ORIGINAL_DB_NAME = ""
CLIENTS = 50
SAVES_PER_CLIENT = 20
TIME_LIMIT = 120.0


def setup() -> None:
    os.environ.setdefault("WEERBAAR_DATA_DIR", tempfile.mkdtemp(prefix="weerbaar-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    os.environ["WEERBAAR_AXES_ENABLED"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    if os.environ.get("DATABASE_URL"):
        # A separate database, so the bench never touches real data.
        from django.db import connection

        global ORIGINAL_DB_NAME
        ORIGINAL_DB_NAME = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    call_command("framework", "load", verbosity=0)


def build() -> list[dict[str, Any]]:
    import datetime

    from weerbaar.accounts.models import User, api_token_create
    from weerbaar.assessments.workflow import round_open
    from weerbaar.frameworks.export import get_framework
    from weerbaar.organisations.models import Functionary, Membership, Organisation, Region, Role

    region = Region.objects.create(name="Benchregio", code="bench")
    coordinator = User.objects.create_user("coordinator@bench.test", "x" * 20)
    organisations = [
        Organisation.objects.create(region=region, name=f"Ziekenhuis {n:02d}", sector="ziekenhuis")
        for n in range(CLIENTS // 5)
    ]
    round_open(
        region=region,
        framework=get_framework("kader-weerbare-zorg"),
        organisations=organisations,
        title="Bench",
        opens_on=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 12, 31),
        by=coordinator,
    )
    from weerbaar.frameworks.models import Item

    roles = ["ciso", "hr", "manager_facilitair", "capaciteitsmanager", "adviseur_crisisbeheersing"]
    # Questions that name exactly one of these roles: each client has its own, so a 409
    # in this run would be a bug, not two people editing the same answer.
    own_codes: dict[str, list[str]] = {role: [] for role in roles}
    for item in Item.objects.filter(
        section__framework=get_framework("kader-weerbare-zorg")
    ).prefetch_related("responsible"):
        keys = {role.key for role in item.responsible.all()} & set(roles)
        if len(keys) == 1 and item.parts.exists():
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
        clients.append({"token": raw, "assessment": assessment.pk, "codes": set(own_codes[role])})
    return clients


def serve() -> tuple[Any, str]:
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def request(
    method: str, url: str, token: str, body: dict[str, Any] | None = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None


def run_clients(base: str, clients: list[dict[str, Any]]) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT

    def client(spec: dict[str, Any]) -> None:
        status, answers = request(
            "GET", f"{base}/api/v1/assessments/{spec['assessment']}/answers", spec["token"]
        )
        if status != 200:
            with lock:
                errors.append(f"list {status}")
            return
        mine = [a for a in answers if a["item_code"] in spec["codes"]][:SAVES_PER_CLIENT]
        for n in range(SAVES_PER_CLIENT):
            if time.monotonic() > deadline:
                return
            answer = mine[n % len(mine)]
            body = {"version": answer["version"], "explanation": f"bench {n}", "values": {}}
            started = time.perf_counter()
            status, saved = request(
                "PUT",
                f"{base}/api/v1/assessments/{spec['assessment']}/answers/{answer['item_code']}",
                spec["token"],
                body,
            )
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                    answer["version"] = saved["version"]
                else:
                    errors.append(f"put {status}")

    threads = [threading.Thread(target=client, args=(spec,)) for spec in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "saves": len(latencies),
        "errors": errors,
        "throughput": len(latencies) / wall if wall else 0.0,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0,
    }


def ceiling() -> tuple[str, float]:
    from django.conf import settings
    from django.db import connection

    pgbench = shutil.which("pgbench")
    if connection.vendor == "postgresql" and pgbench:
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
            [pgbench, *args, "-c", str(CLIENTS), "-j", "2", "-T", "5", "-N", name],
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
    import logging

    setup()
    # 409s would be expected between two editors; errors (5xx) are reported below.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.db import connection

    clients = build()
    server, base = serve()
    try:
        result = run_clients(base, clients)
    finally:
        server.shutdown()
    label, tps = ceiling()
    if ORIGINAL_DB_NAME:
        connection.creation.destroy_test_db(ORIGINAL_DB_NAME, verbosity=0)
    print(
        f"database: {connection.vendor}; {CLIENTS} clients x {SAVES_PER_CLIENT} saves "
        "over HTTP (PUT, bearer token)"
    )
    print(
        f"answer saves: {result['throughput']:.0f}/s, p50 {result['p50'] * 1000:.0f} ms, "
        f"p95 {result['p95'] * 1000:.0f} ms, errors {len(result['errors'])}"
    )
    print(
        f"ceiling ({label}): {tps:.0f}/s; ratio saves/ceiling = {result['throughput'] / tps:.3f}"
        if tps
        else "ceiling: n/a"
    )
    if result["errors"]:
        print("errors:", sorted(set(result["errors"])))
    return 1 if result["errors"] or result["saves"] != CLIENTS * SAVES_PER_CLIENT else 0


if __name__ == "__main__":
    sys.exit(main())
