"""Benchmark case intake and complete lifecycles over HTTP on PostgreSQL, against the raw-SQL
ceiling of the same inserts.

Usage: python bench/bench_cases.py [--database-url postgres://postgres@127.0.0.1:5432/bench_cases]
           [--cases 3000] [--lifecycles 500] [--concurrency 16] [--workers 4]
           [--server gunicorn|uvicorn] [--floor-requests 3000] [--timeout 600] [--fresh]

One run, four measurements, all against the same database (created if missing, migrated):

1. API intake: `--cases` POSTs to /api/v1/cases from `--concurrency` client threads (keep-alive
   http.client connections, bearer token of a window clerk), each with its own Idempotency-Key,
   a person applicant with a valid GB 11643 ID number and a phone, all three materials ticked.
   Every response must be 201; the cases of the run in the database must number `--cases`, and
   every day's case numbers must be gapless (1..counter).
2. Raw-SQL ceiling: the same rows per case (case with encrypted ID and blind index, 3 materials,
   5 steps with the 承办 step active, one case event, one audit entry written unsealed as
   core.audit writes it (no lock; both paths' entries are sealed at the end), the SMS in the outbox,
   the per-day number counter row locked and bumped) written with plain psycopg, one
   transaction per case, from `--concurrency` processes with one connection each, one
   statement per round trip. Like the API path, the case gets the day's number late (after
   its rows), so the counter lock covers only the last statements.
3. Lifecycles: intake → complete 承办, 审核, 审定 (reviewer token) → decide, `--lifecycles` of
   them from `--concurrency` client threads.
4. The HTTP floor: `--floor-requests` GETs of /healthz (one `SELECT 1`, no authentication)
   from the same client threads to the same server: what every request costs before the
   application does anything. With it, the run prints what each goal leaves for the
   application's own work: the CPU that 2 cores give per case (or lifecycle) at the goal,
   less the floor for each request and the PostgreSQL CPU measured for our path.

The server is a real one on 127.0.0.1 (gunicorn sync workers by default, or uvicorn workers)
with DJANGO_DEBUG=false and freshly generated SECRET_KEY and PII_KEY; it is stopped at the end,
also on error. No traffic leaves 127.0.0.1. Goals (issue 3, on 2 cores): >= 300 accepted cases/s
and >= 100 lifecycles/s.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import itertools
import json
import multiprocessing
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import psycopg  # noqa: E402
from psycopg.rows import dict_row  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from servicehall.core.identifiers import id_number_check_char  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_cases"
CENTER_CODE, CENTER_NAME = "449900", "基准测试行政服务中心"
DEPARTMENT_CODE = "BENCH"
ITEM_CODE = "BENCH-0001"
PASSWORD = "Bench-2026-pass"
STEPS = [("受理", "0.5"), ("承办", "1"), ("审核", "2"), ("审定", "1"), ("办结", "0.5")]
MATERIALS = [("申请书", True, True), ("营业执照复印件", True, False), ("场所证明", True, False)]
GOAL_INTAKE, GOAL_LIFECYCLES = 300, 100


# --- database and server ------------------------------------------------------------------

def ensure_database(url: str, fresh: bool) -> None:
    """Create the benchmark database if missing (or anew with --fresh), through `postgres`."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing database name {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "servicehall.config.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PII_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback, as behind a TLS proxy
        "LOG_LEVEL": "WARNING",
        "OUTBOX_SENDER": "console",
        "AUDIT_SEAL_AFTER_COMMIT": "false",  # production: the worker seals, not the request
        "PYTHONPATH": str(ROOT / "src"),
    })
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(kind: str, workers: int, port: int, env: dict, log_path: Path):
    bin_dir = Path(sys.executable).parent
    if kind == "gunicorn":
        command = [str(bin_dir / "gunicorn"), "servicehall.config.wsgi:application",
                   "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                   "--worker-class", "sync", "--backlog", "2048", "--timeout", "120"]
    else:
        command = [str(bin_dir / "uvicorn"), "servicehall.config.asgi:application",
                   "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                   "--no-access-log", "--backlog", "2048", "--log-level", "warning"]
    log = log_path.open("wb")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_server(process) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_healthy(port: int, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited while starting")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer /healthz in time")


# --- fixtures (in this process, through the project's own services) ---------------------------

def set_up_hall() -> dict:
    """One center with the official calendar, one department, one item 受理→承办→审核→审定→办结
    with 3 materials, a window clerk and a reviewer. Idempotent."""
    import django

    django.setup()
    from django.db import connection, transaction

    from servicehall.accounts.choices import Role
    from servicehall.accounts.models import User
    from servicehall.accounts.services import user_create
    from servicehall.catalog import services as catalog
    from servicehall.catalog.elements import ItemElements, MaterialSpec, StepSpec
    from servicehall.catalog.models import Department, ServiceItem
    from servicehall.core.choices import CenterLevel
    from servicehall.core.models import Center
    from servicehall.core.services import center_create

    with transaction.atomic():
        center = Center.objects.filter(code=CENTER_CODE).first() or center_create(
            code=CENTER_CODE, name=CENTER_NAME, level=CenterLevel.CITY, by=None)
        department, _ = Department.objects.get_or_create(
            center=center, code=DEPARTMENT_CODE,
            defaults={"name": "基准测试市场监督管理局", "short_name": "基准监管局"})
        item = ServiceItem.objects.filter(center=center, code=ITEM_CODE).first()
        if item is None:
            item = catalog.item_create(department=department, code=ITEM_CODE, by=None,
                                       elements=ItemElements(
                basic_code="000199990000", main_item="基准测试经营许可", kind="license",
                processing_type="promised", legal_limit=20, promised_limit=10,
                legal_basis="《基准测试条例》第一条", conditions="一、具有相应的经营场所。",
                materials=[MaterialSpec(name=n, is_required=r, is_key=k) for n, r, k in MATERIALS],
                steps=[StepSpec(n, Decimal(b)) for n, b in STEPS]))
        users = {}
        for username, role, dept in (("bench_clerk", Role.WINDOW_STAFF, None),
                                     ("bench_reviewer", Role.REVIEWER, department)):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(username=username, password=PASSWORD, full_name=username,
                                   role=role, center=center, department=dept, by=None)
            users[username] = user.pk
    fixture = {
        "center_id": center.pk, "item_code": item.code,
        "material_ids": sorted(m.pk for m in item.version.materials.all()),
        "steps": [s.name for s in item.version.steps.order_by("position")],
    }
    connection.close()
    return fixture


# --- HTTP clients --------------------------------------------------------------------------

class Api:
    """One keep-alive connection with one bearer token (http.client reopens it when the
    server closes it, as gunicorn's sync workers do after every response)."""

    def __init__(self, port: int, token: str | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Content-Type": "application/json", "Host": "127.0.0.1"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, body: dict, **headers) -> tuple[int, dict, float]:
        data = json.dumps(body, ensure_ascii=False).encode()
        t0 = time.perf_counter()
        self.conn.request("POST", path, body=data, headers={**self.headers, **headers})
        response = self.conn.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - t0
        if response.will_close:
            self.conn.close()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"raw": raw[:200].decode(errors="replace")}
        return response.status, payload, elapsed

    def close(self) -> None:
        self.conn.close()


def get_token(port: int, username: str) -> str:
    status, body, _ = Api(port).post("/api/v1/auth/token",
                                     {"username": username, "password": PASSWORD,
                                      "name": "bench"})
    if status != 201:
        raise RuntimeError(f"token for {username}: HTTP {status} {body}")
    return body["token"]


def id_number(i: int) -> str:
    birth = date(1960, 1, 1) + timedelta(days=i % 15000)
    first17 = f"110105{birth:%Y%m%d}{i % 1000:03d}"
    return first17 + id_number_check_char(first17)


def intake_body(fixture: dict, i: int) -> dict:
    return {"item_code": fixture["item_code"],
            "applicant": {"kind": "person", "name": f"申请人{i:05d}", "id_number": id_number(i),
                          "phone": f"139{i % 100_000_000:08d}"},
            "received_material_ids": fixture["material_ids"]}


def run_threads(count: int, concurrency: int, deadline: float, work) -> tuple[float, list]:
    """Call work(i, state) for i in range(count) from `concurrency` threads; per-thread state
    is a dict of connections the work function opens (closed at the end).
    Returns (elapsed seconds, failures)."""
    counter = itertools.count()
    failures: list = []
    lock = threading.Lock()

    def loop():
        state: dict = {}
        try:
            while time.monotonic() < deadline:
                i = next(counter)
                if i >= count:
                    break
                try:
                    problem = work(i, state)
                except Exception as error:  # noqa: BLE001 - counted and reported
                    problem = f"{type(error).__name__}: {error}"
                if problem:
                    with lock:
                        failures.append((i, problem))
        finally:
            for value in state.values():
                value.close()

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 5)
    elapsed = time.perf_counter() - t0
    if any(thread.is_alive() for thread in threads) or time.monotonic() >= deadline:
        failures.append((-1, "timeout: the phase did not finish in time"))
    return elapsed, failures


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# --- CPU accounting ------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process on this machine (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class CpuMeter:
    """CPU seconds of the server's processes, of their PostgreSQL backends and of this client
    during a phase. Other work on a shared machine slows the wall clock, hardly the CPU that
    one case costs, so the CPU per case tells what the cores alone would allow. Sampled twice a
    second, so that a backend closed during the phase (CONN_MAX_AGE) still counts."""

    def __init__(self, url: str, server_pid: int):
        self.url, self.server_pid = url, server_pid

    def _pids(self, conn) -> tuple[list[int], list[int]]:
        try:
            with open(f"/proc/{self.server_pid}/task/{self.server_pid}/children") as children:
                server = [self.server_pid, *map(int, children.read().split())]
        except OSError:
            server = [self.server_pid]
        backends = [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")]
        return server, backends

    def _sample(self, conn) -> None:
        server, backends = self._pids(conn)
        for kind, pids in (("server", server), ("db", backends)):
            for pid in pids:
                self.seen[kind][pid] = max(self.seen[kind].get(pid, 0.0), cpu_of(pid))

    def _sampler(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.5):
                self._sample(conn)
            self._sample(conn)

    def __enter__(self):
        self.seen: dict[str, dict[int, float]] = {"server": {}, "db": {}}
        with psycopg.connect(self.url, autocommit=True) as conn:
            self._sample(conn)
        self.before = {kind: dict(found) for kind, found in self.seen.items()}
        self.client0 = time.process_time()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sampler, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)
        self.client = time.process_time() - self.client0
        self.server, self.db = (
            sum(max(0.0, cpu - self.before[kind].get(pid, 0.0))
                for pid, cpu in self.seen[kind].items()) for kind in ("server", "db"))
        return False


def cpu_line(server: float, db: float, client: float, count: int, unit: str) -> str:
    per = [1000 * x / max(count, 1) for x in (server, db, client)]
    cores = os.cpu_count() or 1
    bound = cores * 1000 / max(per[0] + per[1], 1e-9)
    return (f"  CPU per {unit}: server {per[0]:.1f} ms, PostgreSQL {per[1]:.1f} ms, "
            f"client {per[2]:.1f} ms  (server + PostgreSQL alone allow at most "
            f"{bound:,.0f} {unit}s/s on {cores} cores)")


# --- checks --------------------------------------------------------------------------------

def settle(url: str) -> None:
    """Vacuum the single row every case updates (the day's number counter), so that each
    phase starts without the dead row versions of the one before."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) cases_casenumbercounter")


def check_numbers(url: str, center_id: int) -> str | None:
    """Every day's numbers of the center are exactly 1..counter.last."""
    with psycopg.connect(url) as conn:
        seqs: dict[str, list[int]] = defaultdict(list)
        for (number,) in conn.execute("SELECT number FROM cases_case WHERE center_id = %s",
                                      (center_id,)):
            _code, day, seq = number.split("-")
            seqs[day].append(int(seq))
        counters = {f"{day:%Y%m%d}": last for day, last in conn.execute(
            "SELECT day, last FROM cases_casenumbercounter WHERE center_id = %s", (center_id,))}
    for day, found in seqs.items():
        if sorted(found) != list(range(1, counters.get(day, 0) + 1)):
            return (f"day {day}: {len(found)} numbers, {len(set(found))} distinct, "
                    f"counter at {counters.get(day)}")
    return None


# --- 1. API intake -----------------------------------------------------------------------

def bench_intake(args, port, token, fixture, run_id, meter: CpuMeter) -> dict:
    latencies: list[float] = []
    numbers: list[str] = []
    settle(args.database_url)

    def work(i, state):
        api = state.setdefault("clerk", Api(port, token))
        status, body, elapsed = api.post("/api/v1/cases", intake_body(fixture, i),
                                         **{"Idempotency-Key": f"{run_id}-i-{i}"})
        latencies.append(elapsed)
        if status != 201:
            return f"HTTP {status} {str(body)[:200]}"
        numbers.append(body["number"])
        return None

    with meter:
        elapsed, failures = run_threads(args.cases, args.concurrency,
                                        time.monotonic() + args.timeout, work)
    with psycopg.connect(args.database_url) as conn:
        in_db = conn.execute("SELECT count(*) FROM cases_case WHERE idempotency_key LIKE %s",
                             (f"{run_id}-i-%",)).fetchone()[0]
    if in_db != args.cases:
        failures.append((-1, f"{in_db} cases of this run in the database, expected {args.cases}"))
    if len(set(numbers)) != len(numbers):
        failures.append((-1, "duplicate case numbers in the responses"))
    gap = check_numbers(args.database_url, fixture["center_id"])
    if gap:
        failures.append((-1, f"case numbers not gapless: {gap}"))
    return {"elapsed": elapsed, "ok": len(numbers), "failures": failures, "in_db": in_db,
            "cpu": (meter.server, meter.db, meter.client),
            "p50": percentile(latencies, 0.5) if latencies else 0,
            "p95": percentile(latencies, 0.95) if latencies else 0}


def run_processes(args, write_case) -> tuple[float, list, float, float]:
    """The raw writers are processes, not threads: a thread holding the counter lock would
    otherwise wait for the GIL (5 ms switch interval) between its statements, and the ceiling
    would measure the interpreter instead of PostgreSQL. Case i goes to writer i % C; the clock
    starts when every writer is connected."""
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(args.concurrency + 1)
    results = context.Queue()
    deadline_seconds = args.timeout

    def writer(k: int) -> None:
        failures, conn = [], psycopg.connect(args.database_url)
        backend, t_cpu = conn.info.backend_pid, time.process_time()
        ready.wait()
        deadline = time.monotonic() + deadline_seconds
        for i in range(k, args.cases, args.concurrency):
            if time.monotonic() >= deadline:
                failures.append((i, "timeout"))
                break
            try:
                write_case(conn, i)
            except Exception as error:  # noqa: BLE001 - counted and reported
                failures.append((i, f"{type(error).__name__}: {error}"))
        db_cpu = cpu_of(backend)
        conn.close()
        results.put((failures, db_cpu, time.process_time() - t_cpu))

    processes = [context.Process(target=writer, args=(k,), daemon=True)
                 for k in range(args.concurrency)]
    for process in processes:
        process.start()
    ready.wait(timeout=60)
    t0 = time.perf_counter()
    failures: list = []
    db_cpu = client_cpu = 0.0
    for _ in processes:
        found, db, client = results.get(timeout=args.timeout + 60)
        failures, db_cpu, client_cpu = failures + found, db_cpu + db, client_cpu + client
    elapsed = time.perf_counter() - t0
    for process in processes:
        process.join(timeout=10)
    return elapsed, failures, db_cpu, client_cpu


# --- 2. raw-SQL ceiling --------------------------------------------------------------------

def _insert(table: str, row: dict, returning: str = "") -> str:
    cols = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join(["%s"] * len(row))
    return f'INSERT INTO {table} ({cols}) VALUES ({marks})' + (
        f" RETURNING {returning}" if returning else "")


def _values(row: dict) -> list:
    return [Jsonb(v) if isinstance(v, (dict, list)) else v for v in row.values()]


def load_templates(url: str, run_id: str) -> dict:
    """The rows the API wrote for one accepted case of this run: the raw path writes the same."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        case = conn.execute("SELECT * FROM cases_case WHERE idempotency_key = %s",
                            (f"{run_id}-i-0",)).fetchone()
        case_id = case["id"]
        return {
            "case": case,
            "materials": conn.execute("SELECT * FROM cases_casematerial WHERE case_id = %s "
                                      "ORDER BY id", (case_id,)).fetchall(),
            "steps": conn.execute("SELECT * FROM cases_casestep WHERE case_id = %s "
                                  "ORDER BY position", (case_id,)).fetchall(),
            "event": conn.execute("SELECT * FROM cases_caseevent WHERE case_id = %s",
                                  (case_id,)).fetchone(),
            "outbox": conn.execute("SELECT * FROM core_outboxmessage WHERE object_type = "
                                   "'cases.case' AND object_id = %s", (str(case_id),)).fetchone(),
            "audit": conn.execute("SELECT * FROM core_auditentry WHERE object_type = "
                                  "'cases.case' AND object_id = %s", (str(case_id),)).fetchone(),
        }


def bench_raw(args, fixture, run_id) -> dict:
    from servicehall.core.audit import _Content
    from servicehall.core.fields import blind_index, cipher
    from servicehall.core.identifiers import mask_id_number

    t = load_templates(args.database_url, run_id)
    settle(args.database_url)
    case_t, audit_t, outbox_t = t["case"], t["audit"], t["outbox"]
    old_number, old_name = case_t["number"], case_t["applicant_name"]
    old_masked = mask_id_number(id_number(0))
    center_id, day = case_t["center_id"], case_t["received_on"]
    counter_sql = (
        "INSERT INTO cases_casenumbercounter (center_id, day, last) VALUES (%s, %s, 1) "
        "ON CONFLICT (center_id, day) DO UPDATE SET last = cases_casenumbercounter.last + 1 "
        "RETURNING last")
    case_base = {k: v for k, v in case_t.items() if k != "id"}
    case_sql = _insert("cases_case", case_base, "id")
    mat_rows = [{k: v for k, v in m.items() if k != "id"} for m in t["materials"]]
    step_rows = [{k: v for k, v in s.items() if k != "id"} for s in t["steps"]]
    active = next(i for i, s in enumerate(step_rows) if s["status"] == "active")
    mat_cols = list(mat_rows[0])
    step_cols = list(step_rows[0])
    mat_sql = (f"INSERT INTO cases_casematerial ({', '.join(mat_cols)}) VALUES "
               + ", ".join(["(" + ", ".join(["%s"] * len(mat_cols)) + ")"] * len(mat_rows)))
    step_sql = (f"INSERT INTO cases_casestep ({', '.join(step_cols)}) VALUES "
                + ", ".join(["(" + ", ".join(["%s"] * len(step_cols)) + ")"] * len(step_rows))
                + " RETURNING id, position")
    event_base = {k: v for k, v in t["event"].items() if k != "id"}
    event_sql = _insert("cases_caseevent", event_base)
    outbox_base = {k: v for k, v in outbox_t.items() if k != "id"}
    outbox_sql = _insert("core_outboxmessage", outbox_base)
    audit_sql = _insert("core_auditentry", {**dict.fromkeys(_Content.__dataclass_fields__),
                                            "prev_hash": None, "hash": None})
    changes_text = json.dumps(audit_t["changes"], ensure_ascii=False)

    def write_case(conn, i: int) -> None:
        applicant = id_number(100_000 + i)
        name = f"申请人{100_000 + i}"
        now = datetime.now(UTC)
        with conn.transaction():
            cur = conn.cursor()
            number = f"~{run_id}-r-{i}"  # provisional, as the API path does
            row = {**case_base, "number": number, "idempotency_key": f"{run_id}-r-{i}",
                   "applicant_name": name, "applicant_id_number": cipher().encrypt(applicant),
                   "applicant_id_index": blind_index(applicant), "current_step_id": None,
                   "created_at": now, "updated_at": now, "phone": f"137{i:08d}"}
            case_id = cur.execute(case_sql, _values(row)).fetchone()[0]
            params = []
            for m in mat_rows:
                params += _values({**m, "case_id": case_id})
            cur.execute(mat_sql, params)
            params = []
            for s in step_rows:
                extra = {"completed_at": now} if s["completed_at"] is not None else {}
                params += _values({**s, "case_id": case_id, **extra})
            step_ids = {pos: pk for pk, pos in cur.execute(step_sql, params).fetchall()}
            seq = cur.execute(counter_sql, (center_id, day)).fetchone()[0]  # locked from here
            number = f"{CENTER_CODE}-{day:%Y%m%d}-{seq:05d}"
            cur.execute("UPDATE cases_case SET number = %s, current_step_id = %s WHERE id = %s",
                        (number, step_ids[step_rows[active]["position"]], case_id))
            cur.execute(event_sql, _values({**event_base, "case_id": case_id, "at": now}))
            changes = json.loads(changes_text.replace(old_number, number)
                                 .replace(old_name, name)
                                 .replace(old_masked, mask_id_number(applicant)))
            content = _Content(  # unsealed, as core.audit writes it; sealed at the end
                seq=None, created_at=datetime.now(UTC), action=audit_t["action"],
                outcome=audit_t["outcome"], actor_id=audit_t["actor_id"],
                actor_label=audit_t["actor_label"], center_id=audit_t["center_id"],
                object_type="cases.case", object_id=str(case_id),
                object_repr=audit_t["object_repr"].replace(old_number, number),
                changes=changes, message="", ip=audit_t["ip"] and str(audit_t["ip"]),
                channel=audit_t["channel"])
            cur.execute(audit_sql, _values({**content.__dict__, "prev_hash": None,
                                            "hash": None}))
            cur.execute(outbox_sql, _values({
                **outbox_base, "recipient": row["phone"], "object_id": str(case_id),
                "body": outbox_base["body"].replace(old_number, number).replace(
                    old_name, name), "created_at": now, "next_attempt_at": now}))

    elapsed, failures, db_cpu, client_cpu = run_processes(args, write_case)
    with psycopg.connect(args.database_url) as conn:
        in_db = conn.execute("SELECT count(*) FROM cases_case WHERE idempotency_key LIKE %s",
                             (f"{run_id}-r-%",)).fetchone()[0]
    if in_db != args.cases:
        failures.append((-1, f"{in_db} raw cases in the database, expected {args.cases}"))
    return {"elapsed": elapsed, "failures": failures, "in_db": in_db,
            "cpu": (0.0, db_cpu, client_cpu)}


# --- 3. lifecycles -----------------------------------------------------------------------

def bench_lifecycles(args, port, tokens, fixture, run_id, meter: CpuMeter) -> dict:
    latencies: list[float] = []
    done: list[str] = []
    middle = fixture["steps"][1:-1]
    settle(args.database_url)

    def work(i, state):
        clerk = state.setdefault("clerk", Api(port, tokens["clerk"]))
        reviewer = state.setdefault("reviewer", Api(port, tokens["reviewer"]))
        t0 = time.perf_counter()
        status, body, _ = clerk.post("/api/v1/cases", intake_body(fixture, 500_000 + i),
                                     **{"Idempotency-Key": f"{run_id}-l-{i}"})
        if status != 201:
            return f"intake: HTTP {status} {str(body)[:200]}"
        number = body["number"]
        for name in middle:
            status, body, _ = reviewer.post(f"/api/v1/cases/{number}/steps/complete",
                                            {"opinion": f"{name}:材料齐全,同意"})
            if status != 200:
                return f"{name}: HTTP {status} {str(body)[:200]}"
        status, body, _ = reviewer.post(f"/api/v1/cases/{number}/decide",
                                        {"decision": "approved"})
        if status != 200 or body.get("status") != "completed":
            return f"decide: HTTP {status} {str(body)[:200]}"
        latencies.append(time.perf_counter() - t0)
        done.append(number)
        return None

    with meter:
        elapsed, failures = run_threads(args.lifecycles, args.concurrency,
                                        time.monotonic() + args.timeout, work)
    return {"elapsed": elapsed, "done": len(done), "failures": failures,
            "cpu": (meter.server, meter.db, meter.client),
            "requests": len(done) * (2 + len(middle)),
            "p50": percentile(latencies, 0.5) if latencies else 0,
            "p95": percentile(latencies, 0.95) if latencies else 0}


# --- 4. the HTTP floor ----------------------------------------------------------------------

def bench_floor(args, port, meter: CpuMeter) -> dict:
    """GET /healthz (one `SELECT 1`, no authentication, a tiny JSON answer) from the same
    client threads to the same server: what any request costs before the application does
    anything."""
    def work(i, state):
        conn = state.setdefault("conn", http.client.HTTPConnection("127.0.0.1", port,
                                                                   timeout=60))
        conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        if response.will_close:
            conn.close()
        return None if response.status == 200 else f"HTTP {response.status}"

    with meter:
        elapsed, failures = run_threads(args.floor_requests, args.concurrency,
                                        time.monotonic() + args.timeout, work)
    return {"elapsed": elapsed, "failures": failures,
            "cpu": (meter.server, meter.db, meter.client)}


def budget_line(goal: float, unit: str, requests: int, floor_ms: float, db_ms: float,
                server_ms: float) -> str:
    """What a goal leaves for the application's own work on this machine's cores, once the
    HTTP floor (per request) and PostgreSQL (as measured for our path) are paid."""
    cores = os.cpu_count() or 1
    budget = cores * 1000 / goal
    left = budget - requests * floor_ms - db_ms
    return (f"  at {goal:g} {unit}s/s, {cores} cores give {budget:.1f} ms of CPU per {unit}; "
            f"the HTTP floor ({requests} x {floor_ms:.2f} ms) and PostgreSQL ({db_ms:.1f} ms) "
            f"leave {left:.1f} ms for the application's work; ours takes "
            f"{server_ms - requests * floor_ms:.1f} ms")


# --- main ----------------------------------------------------------------------------------

def report_failures(label: str, failures: list) -> None:
    if failures:
        print(f"  {label}: {len(failures)} failures, first: {failures[:3]}")


def summarise_server_log(log_path: Path) -> None:
    """The server's errors by kind (the last line of each traceback), and where the log is."""
    kinds: dict[str, int] = defaultdict(int)
    for line in log_path.read_text(errors="replace").splitlines():
        error = re.match(r"([A-Za-z_][\w.]*(?:Error|Exception|Detected)): (.*)", line)
        if error:
            kinds[f"{error[1]}: {error[2][:60]}"] += 1
    print(f"server log: {log_path}")
    for kind, count in sorted(kinds.items(), key=lambda item: -item[1])[:5]:
        print(f"  {count:6,}  {kind}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--lifecycles", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server", choices=["gunicorn", "uvicorn"], default="gunicorn")
    parser.add_argument("--floor-requests", type=int, default=3000,
                        help="GET /healthz requests of the HTTP floor measurement")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds allowed for each measured phase")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    args = parser.parse_args()
    if urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the benchmark database must be on this machine (127.0.0.1)")
    for name in ("cases", "lifecycles", "concurrency", "workers", "floor_requests"):
        if not 1 <= getattr(args, name) <= 100_000:
            raise SystemExit(f"--{name.replace('_', '-')} out of range")

    env = server_env(args.database_url)
    ensure_database(args.database_url, args.fresh)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                           "DJANGO_DEBUG", "SECRET_KEY", "PII_KEY",
                                           "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
                                           "LOG_LEVEL")})
    fixture = set_up_hall()
    run_id = uuid.uuid4().hex[:12]
    port = free_port()
    log_path = Path(tempfile.mkdtemp(prefix="bench_cases_")) / "server.log"
    print(f"database: {args.database_url}  server: {args.server} x{args.workers} on "
          f"127.0.0.1:{port}  clients: {args.concurrency}  cores: {os.cpu_count()}  "
          f"load average: {os.getloadavg()[0]:.1f}  run: {run_id}")
    server = start_server(args.server, args.workers, port, env, log_path)
    ok = True
    try:
        wait_healthy(port, server)
        tokens = {"clerk": get_token(port, "bench_clerk"),
                  "reviewer": get_token(port, "bench_reviewer")}

        meter = CpuMeter(args.database_url, server.pid)
        r1 = bench_intake(args, port, tokens["clerk"], fixture, run_id, meter)
        rate1 = r1["ok"] / r1["elapsed"]
        print(f"API intake: {r1['ok']:,}/{args.cases:,} accepted (HTTP 201) in "
              f"{r1['elapsed']:.2f} s = {rate1:,.0f} cases/s  p50 {r1['p50'] * 1000:.1f} ms  "
              f"p95 {r1['p95'] * 1000:.1f} ms  in DB: {r1['in_db']:,}  numbers gapless: "
              f"{'yes' if not any('gapless' in str(f) for f in r1['failures']) else 'NO'}")
        print(cpu_line(*r1["cpu"], r1["ok"], "case"))
        report_failures("intake", r1["failures"])
        if r1["ok"] == 0:
            raise RuntimeError("no case was accepted; see " + str(log_path))

        r2 = bench_raw(args, fixture, run_id)
        rate2 = r2["in_db"] / r2["elapsed"]
        print(f"raw-SQL ceiling (psycopg, {args.concurrency} processes with a connection each, "
              f"1 transaction per case): {r2['in_db']:,} cases in {r2['elapsed']:.2f} s = "
              f"{rate2:,.0f} cases/s")
        per_db, per_writer = (1000 * x / max(r2["in_db"], 1) for x in r2["cpu"][1:])
        print(f"  CPU per case: PostgreSQL {per_db:.1f} ms, psycopg writers {per_writer:.1f} ms")
        report_failures("raw", r2["failures"])
        print(f"ratio ours/ceiling: {rate1 / rate2:.2f}  (ceiling is {rate2 / rate1:.1f}x ours)")

        r3 = bench_lifecycles(args, port, tokens, fixture, run_id, meter)
        rate3 = r3["done"] / r3["elapsed"]
        print(f"lifecycles (intake → {' → '.join(fixture['steps'][1:-1])} → decide): "
              f"{r3['done']:,}/{args.lifecycles:,} in {r3['elapsed']:.2f} s = {rate3:,.1f} "
              f"lifecycles/s, {r3['requests'] / r3['elapsed']:,.0f} requests/s  "
              f"p50 {r3['p50'] * 1000:.0f} ms  p95 {r3['p95'] * 1000:.0f} ms per lifecycle")
        print(cpu_line(*r3["cpu"], r3["done"], "lifecycle"))
        report_failures("lifecycles", r3["failures"])

        r4 = bench_floor(args, port, meter)
        floor_server, floor_db = (1000 * x / args.floor_requests for x in r4["cpu"][:2])
        print(f"HTTP floor (GET /healthz: one SELECT 1, no authentication; same server and "
              f"clients): {args.floor_requests / r4['elapsed']:,.0f} requests/s, CPU per request: "
              f"server {floor_server:.2f} ms, PostgreSQL {floor_db:.2f} ms")
        report_failures("floor", r4["failures"])
        print(budget_line(GOAL_INTAKE, "case", 1, floor_server,
                          1000 * r1["cpu"][1] / max(r1["ok"], 1),
                          1000 * r1["cpu"][0] / max(r1["ok"], 1)))
        print(budget_line(GOAL_LIFECYCLES, "lifecycle", 2 + len(fixture["steps"][1:-1]),
                          floor_server, 1000 * r3["cpu"][1] / max(r3["done"], 1),
                          1000 * r3["cpu"][0] / max(r3["done"], 1)))

        gap = check_numbers(args.database_url, fixture["center_id"])
        print(f"all case numbers of the center gapless after the run: {gap or 'yes'}")
        from servicehall.core import audit

        t0 = time.perf_counter()
        sealed = audit.seal()
        print(f"audit sealing (the worker's job in production, after the measured phases): "
              f"{sealed:,} entries in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        checked, broken = audit.verify()
        print(f"audit chain: {checked:,} entries verified in {time.perf_counter() - t0:.1f} s, "
              f"{'intact' if broken is None else f'BROKEN at {broken}'}")
        ok = not (r1["failures"] or r2["failures"] or r3["failures"] or r4["failures"] or gap
                  or broken)
        met1, met3 = rate1 >= GOAL_INTAKE, rate3 >= GOAL_LIFECYCLES
        print(f"goal API intake >= {GOAL_INTAKE} cases/s: {'MET' if met1 else 'NOT MET'} "
              f"({rate1:,.0f})")
        print(f"goal lifecycles >= {GOAL_LIFECYCLES}/s: {'MET' if met3 else 'NOT MET'} "
              f"({rate3:,.1f})")
        print(f"checks: {'all passed' if ok else 'FAILED'}")
        if not ok:
            summarise_server_log(log_path)
        load = os.getloadavg()
        print(f"load average at the end: {load[0]:.1f} (1 min), {load[2]:.1f} (15 min)"
              + ("  — other processes shared the cores; wall-clock rates are low, the CPU per "
                 "case is the steadier figure" if load[2] > (os.cpu_count() or 1) else ""))
    except Exception:
        print(f"server log: {log_path}")
        print(log_path.read_text(errors="replace")[-3000:])
        raise
    finally:
        stop_server(server)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
