"""Benchmark the anonymous progress lookup (/progress/) over HTTP on PostgreSQL with millions
of cases, against the raw-SQL ceiling of the same queries.

Usage: python bench/bench_progress.py [--database-url postgres://postgres@127.0.0.1:5432/bench_progress]
           [--cases 10000000] [--reuse] [--fill-only] [--seconds 30] [--clients 8]
           [--server gthread|granian] [--workers 2] [--threads 2] [--cache redis|locmem] [--fresh]

1. Fill (skipped with --reuse when the table already holds `--cases` generated rows): the
   database `bench_progress` (created if missing, migrated) gets `--cases` cases of one center
   with set-based SQL, INSERT … SELECT over generate_series, in chunks of 250,000 rows, one
   transaction each, recorded in `bench_progress_chunk`, so an interrupted fill resumes where
   it stopped. Rows are valid: 5,000 numbers per working day (Mon–Fri from 2010-01-04, seed
   000's hall takes 4,348), numbered 449900-YYYYMMDD-NNNNN with the day's counter row like
   intake does; 90% persons whose ID number (valid GB 11643) is one of 64 precomputed
   AES-GCM ciphertexts with its blind index, 10% enterprises with a valid credit code; the
   keyed hash of the last 6 characters (`id_tail_index`) consistent with both; one timeline
   event per case; channels window/online/api 80/18/2. The PII key of these ciphertexts is kept
   in `bench_progress_meta` and given to the server. The other columns are copied from one case
   taken in through the real intake service. During the fill the secondary indexes of the case
   and event tables are dropped and foreign-key triggers are off for the session
   (`session_replication_role = replica`; the ids used exist); the indexes are rebuilt at the
   end with the definitions the migrations made, and the tables analysed.
2. HTTP: a real server on 127.0.0.1 (gunicorn gthread, by default 2 workers x 2 threads, one
   process per core; or `--server granian`, the same WSGI application under granian if it is
   installed; keep-alive, DJANGO_DEBUG=false, production settings) answers `--clients` client
   processes, each one keep-alive connection, for `--seconds` after a warm-up of 3 s. Each
   client GETs /progress/ once for the CSRF cookie and then POSTs the form exactly as a browser
   does (number + id_tail + CSRF token) to /progress/<number>/: 70% existing numbers with the
   right tail (200, the page must show the number), 15% existing numbers with a wrong tail
   (404), 15% numbers that do not exist (404). The clients speak HTTP/1.1 on plain sockets
   (http.client cost them more CPU than the database spent), on the same cores as the server.
3. Raw-SQL ceiling: the same statement the page runs (the case joined with its center, item
   version and department by number, with its steps and public timeline as JSON arrays) plus
   the keyed-hash comparison, prepared, from `--clients` processes with one connection each.

The rate limiter stays ON with its production setting (PROGRESS_LOOKUPS_PER_MINUTE, default
10 per address and minute): the benchmark does not raise it. It spreads the clients over
addresses instead: every connection binds a fresh source address in 127.0.0.0/8 and makes at
most that many lookups before it reconnects from the next address, as many applicants behind
their own addresses would; so every request pays the limiter's real cost and none is refused.
The limiter's cache is a private redis-server on a free loopback port when one is installed
(the production setup: one count per address across all workers), else local memory. A final
check makes limit + 2 lookups from one address and expects the last two to be refused (429).

CPU is read from /proc for the server's processes, their PostgreSQL backends, redis and the
clients, so a shared machine's load shows in wall-clock figures more than in CPU per request.
Goal (issue 6, on 2 cores): >= 500 requests/s with p99 < 50 ms, printed MET or NOT MET; the
exit status is non-zero when a check fails (a wrong answer, the limiter not refusing), not when
a goal is missed. No traffic leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
import multiprocessing
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import psycopg  # noqa: E402
from bench_cases import (  # noqa: E402
    CENTER_CODE,
    CpuMeter,
    cpu_of,
    ensure_database,
    free_port,
    percentile,
    server_env,
    set_up_hall,
    stop_server,
    summarise_server_log,
    wait_healthy,
)

from servicehall.core.identifiers import credit_code_check_char, id_number_check_char  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_progress"
PER_DAY = 5000
FIRST_MONDAY = date(2010, 1, 4)
CHUNK = 250_000
SAMPLES = 64  # distinct ID numbers and credit codes, reused
GOAL_RPS, GOAL_P99_MS = 500, 50
HIT, WRONG_TAIL, MISS = "hit", "wrong tail", "miss"
DEFAULT_LIMIT = 10  # PROGRESS_LOOKUPS_PER_MINUTE's default in config/settings.py


# --- the generated rows, known to the clients without asking the database ---------------------

def person_id(k: int) -> str:
    birth = date(1960, 1, 1) + timedelta(days=k * 97)
    first17 = f"440304{birth:%Y%m%d}{k:03d}"
    return first17 + id_number_check_char(first17)


def credit_code(k: int) -> str:
    first17 = f"91440300MA5{k:06d}"
    return first17 + credit_code_check_char(first17)


def identifier(i: int) -> str:
    """Case i's applicant identifier: an enterprise's credit code for every tenth case."""
    return credit_code(i % SAMPLES) if i % 10 == 9 else person_id(i % SAMPLES)


def day_of(i: int) -> date:
    weeks, weekday = divmod(i // PER_DAY, 5)
    return FIRST_MONDAY + timedelta(days=weeks * 7 + weekday)


def number_of(i: int) -> str:
    return f"{CENTER_CODE}-{day_of(i):%Y%m%d}-{i % PER_DAY + 1:05d}"


def missing_number(i: int) -> str:
    """A well-formed number past the day's last one, so it exists nowhere."""
    return number_of(i)[:-5] + f"{PER_DAY + 1 + i % 90000:05d}"[-5:]


# --- database ------------------------------------------------------------------------------

def meta(url: str) -> dict[str, str]:
    """The benchmark's own bookkeeping: the PII key of the stored ciphertexts (made once)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_progress_meta "
                     "(name text PRIMARY KEY, value text NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS bench_progress_chunk "
                     "(chunk int PRIMARY KEY, hi bigint NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS bench_progress_index "
                     "(name text PRIMARY KEY, definition text NOT NULL)")
        conn.execute("INSERT INTO bench_progress_meta VALUES ('pii_key', %s) "
                     "ON CONFLICT DO NOTHING",
                     (base64.b64encode(secrets.token_bytes(32)).decode(),))
        return dict(conn.execute("SELECT name, value FROM bench_progress_meta").fetchall())


def template_case(fixture: dict) -> int:
    """One case through the real intake service; the generated rows copy its other columns."""
    import django

    django.setup()
    from django.db import connection

    from servicehall.accounts.models import User
    from servicehall.cases.models import Case
    from servicehall.cases.services import Applicant, case_intake
    from servicehall.catalog.models import ServiceItem

    case = Case.objects.filter(applicant_name="基准模板").first()
    if case is None:
        item = ServiceItem.objects.get(center_id=fixture["center_id"], code=fixture["item_code"])
        case = case_intake(item=item, received=set(fixture["material_ids"]),
                           by=User.objects.get(username="bench_clerk"),
                           applicant=Applicant(kind="person", name="基准模板",
                                               id_number=person_id(0), phone="13900000000"))
    pk = case.pk
    connection.close()
    return pk


def _indexes_to_drop(conn) -> list[tuple[str, str]]:
    """Secondary indexes of the case and event tables (not the primary keys, not the unique
    number, nor any index behind a constraint)."""
    return conn.execute("""
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname IN ('cases_case', 'cases_caseevent')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """).fetchall()


def _chunk_sql(columns: list[str], event_columns: list[str]) -> str:
    case_now = "(s.day + time '09:30') AT TIME ZONE 'Asia/Shanghai'"
    person = "mod(s.i, 10) <> 9"
    completed = "s.day < %(recent)s"
    k = f"1 + mod(s.i, {SAMPLES})"
    overrides = {
        "number": "%(code)s || '-' || to_char(s.day, 'YYYYMMDD') || '-' "
                  "|| lpad(s.seq::text, 5, '0')",
        "received_on": "s.day", "accepted_on": "s.day", "materials_completed_on": "s.day",
        "clock_start": "s.day", "promised_due": "s.day + 14", "legal_due": "s.day + 28",
        "status": f"CASE WHEN {completed} THEN 'completed' ELSE 'in_progress' END",
        "case_type": "CASE WHEN mod(s.i, 2) = 0 THEN 'immediate' ELSE 'promised' END",
        "completed_on": f"CASE WHEN {completed} THEN s.day + mod(s.i, 2) * mod(s.i, 9) END",
        "working_days_used": f"CASE WHEN {completed} THEN mod(s.i, 2) * mod(s.i, 9) ELSE 0 END",
        "on_time": f"CASE WHEN {completed} THEN true END",
        "early": f"CASE WHEN {completed} THEN mod(s.i, 2) = 1 AND mod(s.i, 9) < 8 END",
        "decision": f"CASE WHEN {completed} THEN 'approved' ELSE '' END",
        "applicant_kind": f"CASE WHEN {person} THEN 'person' ELSE 'enterprise' END",
        "applicant_name": "'申请人' || s.i",
        "applicant_id_number": f"CASE WHEN {person} THEN (%(ciphers)s::text[])[{k}] ELSE '' END",
        "applicant_id_index": f"CASE WHEN {person} THEN (%(blind)s::text[])[{k}] ELSE '' END",
        "credit_code": f"CASE WHEN {person} THEN '' ELSE (%(codes)s::text[])[{k}] END",
        "id_tail_index": f"CASE WHEN {person} THEN (%(person_tails)s::text[])[{k}] "
                         f"ELSE (%(code_tails)s::text[])[{k}] END",
        "agent_name": "''", "agent_id_number": "''",
        "phone": "'139' || lpad(mod(s.i, 100000000)::text, 8, '0')",
        "channel": "CASE WHEN mod(s.i, 100) < 80 THEN 'window' WHEN mod(s.i, 100) < 98 "
                   "THEN 'online' ELSE 'api' END",
        "visits": "CASE WHEN mod(s.i, 100) < 80 THEN 1 + (mod(s.i, 13) = 0)::int ELSE 0 END",
        "idempotency_key": "NULL", "current_step_id": "NULL", "current_assignee_id": "NULL",
        "current_step_due": "NULL", "created_at": case_now, "updated_at": case_now,
    }
    select = ", ".join(overrides.get(c, f"t.{c}") for c in columns)
    events = {"case_id": "n.id", "kind": "'accepted'", "at": "n.created_at"}
    event_select = ", ".join(events.get(c, f"e.{c}") for c in event_columns)
    return f"""
        WITH s AS (
            SELECT i, i / {PER_DAY} AS d, mod(i, {PER_DAY}) + 1 AS seq,
                   %(monday)s::date + (i / {PER_DAY} / 5) * 7 + mod(i / {PER_DAY}, 5) AS day
            FROM generate_series(%(lo)s::int, %(hi)s::int - 1) AS i
        ), n AS (
            INSERT INTO cases_case ({", ".join(columns)})
            SELECT {select} FROM s CROSS JOIN (SELECT * FROM cases_case WHERE id = %(template)s) t
            RETURNING id, created_at
        ), e AS (
            INSERT INTO cases_caseevent ({", ".join(event_columns)})
            SELECT {event_select} FROM n
            CROSS JOIN (SELECT * FROM cases_caseevent WHERE case_id = %(template)s LIMIT 1) e
        )
        INSERT INTO cases_casenumbercounter (center_id, day, last)
        SELECT %(center)s, day, max(seq) FROM s GROUP BY day
        ON CONFLICT (center_id, day) DO UPDATE
            SET last = GREATEST(cases_casenumbercounter.last, EXCLUDED.last)
        """


def fill(url: str, cases: int, template: int, center_id: int) -> float:
    """Write the missing chunks of `cases` generated rows; seconds spent (0 when none)."""
    from servicehall.core.fields import blind_index, cipher, tail_index

    persons = [person_id(k) for k in range(SAMPLES)]
    codes = [credit_code(k) for k in range(SAMPLES)]
    params = {
        "code": CENTER_CODE, "monday": FIRST_MONDAY, "template": template,
        "center": center_id, "ciphers": [cipher().encrypt(p) for p in persons],
        "blind": [blind_index(p) for p in persons], "codes": codes,
        "person_tails": [tail_index(p) for p in persons],
        "code_tails": [tail_index(c) for c in codes],
    }
    chunks = range((cases + CHUNK - 1) // CHUNK)
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        done = dict(conn.execute("SELECT chunk, hi FROM bench_progress_chunk").fetchall())
        todo = [(c, done.get(c, c * CHUNK), min(cases, (c + 1) * CHUNK)) for c in chunks]
        todo = [(c, lo, hi) for c, lo, hi in todo if lo < hi]
        if not todo and not conn.execute("SELECT 1 FROM bench_progress_index").fetchone():
            return 0.0
        columns = [c for (c,) in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'cases_case' AND column_name <> 'id' ORDER BY ordinal_position")]
        event_columns = [c for (c,) in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'cases_caseevent' AND column_name <> 'id' ORDER BY ordinal_position")]
        sql = _chunk_sql(columns, event_columns)
        params["recent"] = day_of(cases - 1) - timedelta(days=30)
        for name, definition in _indexes_to_drop(conn):
            conn.execute("INSERT INTO bench_progress_index VALUES (%s, %s) "
                         "ON CONFLICT DO NOTHING", (name, definition))
            conn.execute(f'DROP INDEX IF EXISTS "{name}"')
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        for chunk, lo, hi in todo:
            c0 = time.perf_counter()
            with conn.transaction():
                conn.execute(sql, {**params, "lo": lo, "hi": hi})
                conn.execute("INSERT INTO bench_progress_chunk VALUES (%s, %s) ON CONFLICT "
                             "(chunk) DO UPDATE SET hi = EXCLUDED.hi", (chunk, hi))
            print(f"  chunk {chunk + 1}/{len(chunks)}: rows {lo:,}..{hi - 1:,} in "
                  f"{time.perf_counter() - c0:.1f} s", flush=True)
        conn.execute("SET session_replication_role = origin")
        conn.execute("SET maintenance_work_mem = '512MB'")
        for name, definition in conn.execute(
                "SELECT name, definition FROM bench_progress_index").fetchall():
            i0 = time.perf_counter()
            conn.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
                         .replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1))
            conn.execute("DELETE FROM bench_progress_index WHERE name = %s", (name,))
            print(f"  index {name} rebuilt in {time.perf_counter() - i0:.1f} s", flush=True)
        conn.execute("VACUUM (ANALYZE) cases_case, cases_caseevent, cases_casenumbercounter")
    return time.perf_counter() - t0


def generated_rows(url: str) -> int:
    with psycopg.connect(url) as conn:
        rows = conn.execute(f"SELECT coalesce(sum(hi - chunk * {CHUNK}), 0) "
                            "FROM bench_progress_chunk").fetchone()[0]
        pending = conn.execute("SELECT count(*) FROM bench_progress_index").fetchone()[0]
    return -1 if pending else int(rows)


# --- clients -------------------------------------------------------------------------------

def pick(rng: random.Random, cases: int) -> tuple[str, str, str]:
    """(kind, number, tail) of one lookup: 70% hits, 15% wrong tails, 15% missing numbers."""
    i, roll = rng.randrange(cases), rng.random()
    tail = identifier(i)[-6:]
    if roll < 0.70:
        return HIT, number_of(i), tail.lower() if roll < 0.05 else tail
    if roll < 0.85:
        wrong = identifier(i + 1)[-6:]
        return WRONG_TAIL, number_of(i), wrong if wrong != tail else "000000"
    return MISS, missing_number(i), tail


class Client:
    """One keep-alive connection from one loopback address at a time; a new address after
    `per_address` lookups, so the production limit (per address and minute) is never hit.
    HTTP/1.1 written and read on a plain socket: the clients share the server's 2 cores, and
    http.client spent more CPU per request than the database did."""

    def __init__(self, port: int, first_address: int, per_address: int):
        self.port, self.address, self.per_address = port, first_address, per_address
        self.sock, self.used, self.token = None, 0, ""

    def _source(self) -> str:
        a = self.address
        return f"127.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}"

    def _connection(self) -> socket.socket:
        if self.sock is None or self.used >= self.per_address:
            self.close()
            self.address += 1
            self.used = 0
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30,
                                                 source_address=(self._source(), 0))
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        return self.sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _read(self, sock: socket.socket) -> bytes:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def _request(self, head: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
        sock = self._connection()
        sock.sendall(head.encode("latin-1") + b"Host: 127.0.0.1\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        data = self.buffer
        while (end := data.find(b"\r\n\r\n")) < 0:
            data += self._read(sock)
        lines = data[:end].decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            headers[name] = f"{headers[name]}, {value.strip()}" if name in headers \
                else value.strip()
        if "content-length" not in headers:
            raise ValueError(f"no Content-Length in the answer: {lines[:3]}")
        size = int(headers["content-length"])
        data = data[end + 4:]
        while len(data) < size:
            data += self._read(sock)
        self.buffer = data[size:]
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data[:size]

    def csrf(self) -> None:
        _status, headers, _ = self._request("GET /progress/ HTTP/1.1\r\n")
        self.token = headers["set-cookie"].split("csrftoken=", 1)[1].split(";", 1)[0]

    def lookup(self, number: str, tail: str) -> tuple[int, bytes]:
        body = urlencode({"csrfmiddlewaretoken": self.token, "number": number, "id_tail": tail})
        self.used += 1
        status, _, data = self._request(
            f"POST /progress/{number}/ HTTP/1.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Cookie: csrftoken={self.token}\r\n", body.encode())
        return status, data


EXPECTED = {HIT: 200, WRONG_TAIL: 404, MISS: 404}


def client_process(k, port, cases, per_address, start_at, stop_at, results) -> None:
    rng = random.Random(1000 + k)
    client = Client(port, first_address=(10 + k) << 16, per_address=per_address)
    latencies, counts, failures = [], {HIT: 0, WRONG_TAIL: 0, MISS: 0}, []
    cpu0 = None
    try:
        client.csrf()
        while time.time() < stop_at:
            kind, number, tail = pick(rng, cases)
            t0 = time.perf_counter()
            status, data = client.lookup(number, tail)
            elapsed = time.perf_counter() - t0
            if time.time() < start_at:
                continue  # warm-up
            if cpu0 is None:
                cpu0 = time.process_time()
            latencies.append(elapsed)
            counts[kind] += 1
            if status != EXPECTED[kind] or (kind == HIT and number.encode() not in data):
                failures.append(f"{kind} {number}: HTTP {status}")
    except Exception as error:  # noqa: BLE001 - reported
        failures.append(f"{type(error).__name__}: {error}")
    results.put((latencies, counts, failures[:20], len(failures),
                 time.process_time() - (cpu0 or time.process_time())))


def bench_http(args, port, url, server_pid, redis_pid) -> dict:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 3 + 0.2 * args.clients
    stop_at = start_at + args.seconds
    per_address = args.limit
    processes = [context.Process(target=client_process, daemon=True, args=(
        k, port, args.cases, per_address, start_at, stop_at, results))
        for k in range(args.clients)]
    for process in processes:
        process.start()
    time.sleep(max(0.0, start_at - time.time()))
    redis0 = cpu_of(redis_pid) if redis_pid else 0.0
    meter = CpuMeter(url, server_pid)
    with meter:
        time.sleep(max(0.0, stop_at - time.time()))
        collected = [results.get(timeout=120) for _ in processes]
    redis_cpu = (cpu_of(redis_pid) - redis0) if redis_pid else 0.0
    for process in processes:
        process.join(timeout=10)
    latencies = [x for c in collected for x in c[0]]
    counts = {kind: sum(c[1][kind] for c in collected) for kind in EXPECTED}
    return {"latencies": latencies, "counts": counts,
            "failures": [f for c in collected for f in c[2]],
            "failed": sum(c[3] for c in collected),
            "client_cpu": sum(c[4] for c in collected),
            "server_cpu": meter.server, "db_cpu": meter.db, "redis_cpu": redis_cpu,
            "backends": len(meter.seen["db"])}


def limiter_check(port: int, limit: int) -> list[int]:
    """limit + 2 lookups from one fresh address on one connection: the last two refused."""
    client = Client(port, first_address=(200 << 16) + random.randrange(1 << 16),
                    per_address=10**9)
    client.csrf()
    return [client.lookup(missing_number(n), "000000")[0] for n in range(limit + 2)]


# --- raw-SQL ceiling -----------------------------------------------------------------------

RAW_CASE = """
    SELECT c.id, c.number, c.status, c.received_on, c.promised_due, c.completed_on, c.decision,
           c.id_tail_index, r.code, r.name, r.address, r.phone, r.opening_hours, v.name,
           d.name,
           (SELECT json_agg(json_build_array(s.position, s.name, s.status))
            FROM cases_casestep s WHERE s.case_id = c.id),
           (SELECT json_agg(json_build_array(e.at, e.id, e.kind)) FROM cases_caseevent e
            WHERE e.case_id = c.id AND e.kind NOT IN ('commented', 'step_assigned',
            'step_handed_over', 'step_taken', 'step_taken_back'))
    FROM cases_case c JOIN core_center r ON r.id = c.center_id
    JOIN catalog_itemversion v ON v.id = c.item_version_id
    JOIN catalog_department d ON d.id = c.department_id
    WHERE c.number = %s"""


def raw_process(k, url, cases, seconds, ready, results) -> None:
    import hmac as hmac_module

    from servicehall.core.fields import tail_index

    rng = random.Random(5000 + k)
    conn = psycopg.connect(url, autocommit=True, prepare_threshold=0)
    backend = conn.info.backend_pid
    ready.wait()
    db0, cpu0, done = cpu_of(backend), time.process_time(), 0
    stop_at = time.monotonic() + seconds
    latencies = []
    while time.monotonic() < stop_at:
        _kind, number, tail = pick(rng, cases)
        t0 = time.perf_counter()
        row = conn.execute(RAW_CASE, (number,)).fetchone()
        if row and row[7] and hmac_module.compare_digest(row[7], tail_index(tail)):
            sorted(row[-2] or []), sorted(row[-1] or [])
        latencies.append(time.perf_counter() - t0)
        done += 1
    results.put((done, latencies, cpu_of(backend) - db0, time.process_time() - cpu0))
    conn.close()


def bench_raw(args, url) -> dict:
    context = multiprocessing.get_context("fork")
    ready, results = context.Barrier(args.clients + 1), context.Queue()
    processes = [context.Process(target=raw_process, daemon=True,
                                 args=(k, url, args.cases, args.seconds, ready, results))
                 for k in range(args.clients)]
    for process in processes:
        process.start()
    ready.wait(timeout=60)
    t0 = time.perf_counter()
    collected = [results.get(timeout=args.seconds + 120) for _ in processes]
    elapsed = time.perf_counter() - t0
    for process in processes:
        process.join(timeout=10)
    return {"done": sum(c[0] for c in collected), "elapsed": elapsed,
            "latencies": [x for c in collected for x in c[1]],
            "db_cpu": sum(c[2] for c in collected), "client_cpu": sum(c[3] for c in collected)}


# --- main ----------------------------------------------------------------------------------

def start_redis(port: int):
    return subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--loglevel", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def start_gthread(args, port: int, env: dict, log_path: Path):
    command = [str(Path(sys.executable).parent / "gunicorn"), "servicehall.config.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
               "--worker-class", "gthread", "--threads", str(args.threads),
               "--keep-alive", "5", "--backlog", "2048", "--timeout", "120"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_path.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def start_granian(args, port: int, env: dict, log_path: Path):
    """Granian (HTTP in Rust, the same WSGI application): `--workers` processes, each with
    `--threads` blocking threads running Django."""
    granian = Path(sys.executable).parent / "granian"
    if not granian.exists():
        raise SystemExit("--server granian: granian is not installed (not a project "
                         "requirement; pip install granian to compare)")
    command = [str(granian), "--interface", "wsgi",
               "servicehall.config.wsgi:application", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(args.workers),
               "--blocking-threads", str(args.threads), "--backlog", "2048", "--no-ws",
               "--http", "1", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_path.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


SERVERS = {"gthread": start_gthread, "granian": start_granian}


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f} ms"


def main() -> int:  # noqa: C901 - one straight script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--reuse", action="store_true",
                        help="skip the fill when the table already holds --cases generated rows")
    parser.add_argument("--fill-only", action="store_true")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--server", choices=sorted(SERVERS), default="gthread")
    parser.add_argument("--cache", choices=["redis", "locmem"],
                        default="redis" if shutil.which("redis-server") else "locmem")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    args = parser.parse_args()
    if urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the benchmark database must be on this machine (127.0.0.1)")
    if not 1_000 <= args.cases <= 50_000_000 or not 1 <= args.clients <= 64:
        raise SystemExit("--cases or --clients out of range")
    args.limit = int(os.environ.get("PROGRESS_LOOKUPS_PER_MINUTE", DEFAULT_LIMIT))

    ensure_database(args.database_url, args.fresh)
    env = server_env(args.database_url)
    env.pop("PROGRESS_LOOKUPS_PER_MINUTE", None)  # production's limit, never raised here
    env["PII_KEY"] = meta(args.database_url)["pii_key"]
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True)
    static_root = Path(env.get("STATIC_ROOT", ROOT / "var" / "static"))
    if not args.fill_only and not (static_root / "staticfiles.json").exists():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)  # the pages need the manifest
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                           "DJANGO_DEBUG", "SECRET_KEY", "PII_KEY",
                                           "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
                                           "LOG_LEVEL")})
    fixture = set_up_hall()
    template = template_case(fixture)

    have = generated_rows(args.database_url)
    if args.reuse and have >= args.cases:
        print(f"fill: skipped (--reuse), {have:,} generated cases present")
    else:
        print(f"fill: {args.cases:,} cases in chunks of {CHUNK:,} (resumes; {max(have, 0):,} "
              f"present)", flush=True)
        spent = fill(args.database_url, args.cases, template, fixture["center_id"])
        print(f"fill: done in {spent:.0f} s" if spent else "fill: nothing to do")
    with psycopg.connect(args.database_url) as conn:
        rows = conn.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = "
                            "'cases_case'").fetchone()[0]
        unique = conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'cases_case' AND indexdef LIKE "
            "'CREATE UNIQUE INDEX%%(number)'").fetchone()
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + RAW_CASE.replace("%s", "'x'")))
    print(f"cases_case: ~{rows:,} rows; unique index on number: "
          f"{'yes' if unique else 'NO'}")
    if "Index Scan" not in plan:
        print(plan)
        return 1
    if args.fill_only:
        return 0

    print(f"load average at the start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    workdir = Path(tempfile.mkdtemp(prefix="bench_progress_"))
    redis = None
    if args.cache == "redis":
        redis_port = free_port()
        redis = start_redis(redis_port)
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    port = free_port()
    server = SERVERS[args.server](args, port, env, workdir / "server.log")
    failed, goals = [], ""
    try:
        wait_healthy(port, server)
        kind = "gunicorn gthread" if args.server == "gthread" else "granian (WSGI)"
        print(f"server: {kind}, {args.workers} workers x {args.threads} threads, "
              f"limiter cache {args.cache}, limit {args.limit}/min per address; "
              f"{args.clients} client processes, {args.seconds:.0f} s")
        result = bench_http(args, port, args.database_url, server.pid,
                            redis.pid if redis else None)
        lat, n = result["latencies"], len(result["latencies"])
        rps = n / args.seconds
        p50, p95, p99 = (percentile(lat, q) if lat else 0 for q in (0.5, 0.95, 0.99))
        counts = result["counts"]
        print(f"HTTP lookups: {n:,} in {args.seconds:.0f} s = {rps:,.0f} requests/s "
              f"({counts[HIT]:,} hits, {counts[WRONG_TAIL]:,} wrong tails, "
              f"{counts[MISS]:,} misses); p50 {ms(p50)}, p95 {ms(p95)}, p99 {ms(p99)}")
        per = [1000 * result[k] / max(n, 1)
               for k in ("server_cpu", "db_cpu", "redis_cpu", "client_cpu")]
        cores = os.cpu_count() or 1
        print(f"  CPU per request: server {per[0]:.2f} ms, PostgreSQL {per[1]:.2f} ms, "
              f"redis {per[2]:.2f} ms, clients {per[3]:.2f} ms  (server + PostgreSQL + redis "
              f"alone allow at most {cores * 1000 / max(sum(per[:3]), 1e-9):,.0f} requests/s "
              f"on {cores} cores); {result['backends']} PostgreSQL backends seen")
        if result["failed"]:
            failed.append(f"{result['failed']} wrong answers, first: {result['failures'][:3]}")
        goals = (f"goal >= {GOAL_RPS} requests/s: {'MET' if rps >= GOAL_RPS else 'NOT MET'}; "
                 f"goal p99 < {GOAL_P99_MS} ms: "
                 f"{'MET' if p99 * 1000 < GOAL_P99_MS else 'NOT MET'}")
        codes = limiter_check(port, args.limit)
        print(f"limiter: {args.limit + 2} lookups from one address -> {codes}")
        if codes[-2:] != [429, 429] or 429 in codes[:args.limit]:
            failed.append(f"the limiter did not refuse after {args.limit}: {codes}")
    finally:
        stop_server(server)
        if redis is not None:
            os.killpg(redis.pid, signal.SIGTERM)
            redis.wait(timeout=10)
        summarise_server_log(workdir / "server.log")

    raw = bench_raw(args, args.database_url)
    raw_rps = raw["done"] / raw["elapsed"]
    rp99 = percentile(raw["latencies"], 0.99) if raw["latencies"] else 0
    print(f"raw SQL ceiling (same statement + tail hash, {args.clients} processes): "
          f"{raw['done']:,} in {raw['elapsed']:.0f} s = {raw_rps:,.0f} lookups/s; "
          f"p50 {ms(percentile(raw['latencies'], 0.5))}, p99 {ms(rp99)}; PostgreSQL CPU "
          f"{1000 * raw['db_cpu'] / max(raw['done'], 1):.2f} ms per lookup")
    print(f"ratio: HTTP / raw SQL = {rps / max(raw_rps, 1e-9):.2f}; goal {GOAL_RPS} "
          f"requests/s = {rps / GOAL_RPS:.2f}x; p99 {ms(p99)} vs {GOAL_P99_MS} ms")
    print(goals)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    for problem in failed:
        print(f"CHECK FAILED: {problem}")
    print("OK" if not failed else "FAILED")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
