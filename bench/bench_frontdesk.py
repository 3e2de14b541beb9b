"""Benchmark the front of hall over HTTP on PostgreSQL: ticket issue throughput and latency at
50 and 200 concurrent clients, and the latency of calling the next ticket at a window.

Usage: python bench/bench_frontdesk.py [--database-url postgres://postgres@127.0.0.1:5432/bench_fd]
           [--clients 50,200] [--per-client 10] [--calls 200] [--workers 4] [--threads 2]
           [--server gunicorn-sync|gunicorn|uvicorn] [--connection keep-alive|per-ticket]
           [--timeout 600] [--seal worker|commit]

1. Ticket issue: for each number of clients, that many client threads start together and each
   POSTs `--per-client` tickets to the public endpoint /api/v1/frontdesk/halls/<center>/tickets
   (what a kiosk or the web does), over its own keep-alive http.client connection (or a new
   one per ticket with `--connection per-ticket`). Every response must be 201. Afterwards the
   day's numbers of the prefix must run 1..N without a gap or a duplicate.
2. Call next: one window clerk (bearer token) calls, starts and finishes `--calls` tickets in
   turn from the queue the first part left behind; the call-next request is timed.

The server is a real one on 127.0.0.1: by default gunicorn with 4 sync workers (`--server
gunicorn` runs gthread workers with `--threads`, `--server uvicorn` the ASGI application) with
DJANGO_DEBUG=false and freshly generated keys. Sync workers take a connection only when idle,
so the requests wait in one queue, first come first served; gthread workers accept every
connection at once and serve it from their own queue, so the clients that landed on a busier
worker wait longer (on 2 cores, gthread 2×2 and 3×1 gave p95/p50 of 1.4–2.6, sync ×4 of
1.2–1.5) and each extra thread spends CPU on the GIL. The server is stopped at the end, also
on error. The database is created if missing and migrated. No traffic leaves 127.0.0.1.
Audit entries are sealed into the hash chain by `manage.py worker` running beside the server,
as in production (AUDIT_SEAL_AFTER_COMMIT=false; `--seal commit` seals after each request's
commit instead); at the end the rest is sealed and the whole chain verified. CPU per ticket is
printed for the server, PostgreSQL, the benchmark's clients and the worker.
Goal (issue 4): p95 < 1 s at 200 clients.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_cases import CpuMeter, cpu_of  # noqa: E402

CENTER_CODE = "990000"
CATEGORY_CODE = "BENCH"
PREFIX = "Z"
GOAL_P95_MS = 1000.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))]


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone() is None:
            conn.execute(f'create database "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "PII_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING", "CONN_MAX_AGE": "600",
            "DJANGO_SETTINGS_MODULE": "servicehall.config.settings",
            "PYTHONPATH": str(ROOT / "src")}


def prepare(env: dict[str, str]) -> tuple[int, str]:
    """Migrate and set up the bench hall (idempotent); returns (window id, clerk token)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from servicehall.accounts.choices import Role
    from servicehall.accounts.models import User
    from servicehall.accounts.services import token_create, user_create
    from servicehall.catalog.models import Department
    from servicehall.catalog.services import department_save, window_save
    from servicehall.core.models import Center
    from servicehall.core.services import center_create
    from servicehall.frontdesk import services

    center = Center.objects.filter(code=CENTER_CODE).first() or center_create(
        code=CENTER_CODE, name="压测行政服务中心", level="city", by=None)
    department = Department.objects.filter(center=center, code="BENCH").first() or \
        department_save(center=center, code="BENCH", name="压测局", short_name="压测局",
                        by=None)
    category = services.category_save(center=center, code=CATEGORY_CODE, name="压测业务",
                                      prefix=PREFIX, departments=[department], by=None)
    window = window_save(center=center, number="1", department=department, name="压测窗口",
                         by=None)
    services.window_categories_set(window=window, categories=[category], by=None)
    clerk = User.objects.filter(username="bench_clerk").first() or user_create(
        username="bench_clerk", password=secrets.token_urlsafe(16), full_name="压测窗口人员",
        role=Role.WINDOW_STAFF, center=center, by=None)
    _token, key = token_create(user=clerk, name="bench", by=clerk)
    from django.db import connection

    connection.close()
    return window.pk, key


def start_server(kind: str, port: int, env: dict[str, str], workers: int,
                 threads: int) -> subprocess.Popen:
    bin_dir = Path(sys.executable).parent
    if kind == "uvicorn":
        command = [str(bin_dir / "uvicorn"), "servicehall.config.asgi:application",
                   "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                   "--log-level", "warning", "--no-access-log"]
    else:
        worker_class = ["--worker-class", "sync"] if kind == "gunicorn-sync" else [
            "--worker-class", "gthread", "--threads", str(threads)]
        command = [str(bin_dir / "gunicorn"), "servicehall.config.wsgi:application",
                   "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *worker_class,
                   "--backlog", "2048", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("the server did not start")


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    """The production background worker: it seals the audit entries every AUDIT_SEAL_SECONDS
    (and runs the other periodic jobs, which have little to do in the bench hall)."""
    return subprocess.Popen([sys.executable, "manage.py", "worker"], cwd=ROOT, env=env,
                            start_new_session=True, stdout=subprocess.DEVNULL)


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class Client:
    def __init__(self, port: int, token: str = "", *, keep_alive: bool = True) -> None:
        self.port, self.token, self.keep_alive = port, token, keep_alive
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, path: str, body: dict | None = None) -> tuple[int, dict, float]:
        headers = {"Content-Type": "application/json"}
        if not self.keep_alive:
            headers["Connection"] = "close"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body or {})
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request("POST", path, data, headers)
                response = self.conn.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
                return response.status, json.loads(payload or b"{}"), elapsed
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed an idle keep-alive connection
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def issue_phase(port: int, clients: int, per_client: int, meter: CpuMeter | None = None,
                sealer_pid: int | None = None, keep_alive: bool = True) -> dict:
    path = f"/api/v1/frontdesk/halls/{CENTER_CODE}/tickets"
    barrier = threading.Barrier(clients + 1)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        client = Client(port, keep_alive=keep_alive)
        mine, bad = [], []
        barrier.wait()
        for _ in range(per_client):
            try:
                status, body, elapsed = client.post(path, {"category": CATEGORY_CODE})
            except OSError as error:
                bad.append(repr(error))
                continue
            if status == 201:
                mine.append(elapsed)
            else:
                bad.append(f"{status} {body}")
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    sealer0 = cpu_of(sealer_pid) if sealer_pid else 0.0
    with meter or contextlib.nullcontext():
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    done = max(1, len(latencies))
    cpu = {kind: getattr(meter, kind) * 1000 / done for kind in ("server", "db", "client")} \
        if meter else {}
    if sealer_pid:
        cpu["sealer"] = (cpu_of(sealer_pid) - sealer0) * 1000 / done
    return {"cpu": cpu, "clients": clients, "requests": clients * per_client, "ok": len(latencies),
            "failures": failures[:3], "failed": len(failures), "wall": wall,
            "throughput": len(latencies) / wall,
            "p50": percentile(latencies, 0.5) * 1000, "p95": percentile(latencies, 0.95) * 1000,
            "max": max(latencies) * 1000}


def call_phase(port: int, token: str, window_id: int, calls: int) -> dict:
    client = Client(port, token)
    latencies = []
    for _ in range(calls):
        status, body, elapsed = client.post(f"/api/v1/frontdesk/windows/{window_id}/call-next")
        if status != 200:
            raise SystemExit(f"call-next failed: {status} {body}")
        latencies.append(elapsed)
        for action in ("start", "finish"):
            status, body, _ = client.post(f"/api/v1/frontdesk/tickets/{body['id']}/{action}",
                                          {"case_numbers": []} if action == "finish" else None)
            if status != 200:
                raise SystemExit(f"{action} failed: {status} {body}")
    return {"calls": calls, "p50": percentile(latencies, 0.5) * 1000,
            "p95": percentile(latencies, 0.95) * 1000, "max": max(latencies) * 1000,
            "mean": statistics.mean(latencies) * 1000}


def check_audit() -> tuple[int, int, bool]:
    """(entries waiting for their seal when the load stopped, entries verified, intact)."""
    from django.db import connection

    from servicehall.core import audit

    waiting = audit.unsealed()
    audit.seal()
    checked, broken = audit.verify()
    connection.close()
    return waiting, checked, broken is None


def check_numbers() -> tuple[int, bool]:
    from django.db import connection
    from django.utils import timezone

    from servicehall.frontdesk.models import Ticket, TicketCounter

    day = timezone.localdate()
    seqs = sorted(Ticket.objects.filter(center__code=CENTER_CODE, day=day, prefix=PREFIX)
                  .values_list("seq", flat=True))
    counter = TicketCounter.objects.filter(center__code=CENTER_CODE, day=day,
                                           prefix=PREFIX).first()
    connection.close()
    return len(seqs), bool(counter) and seqs == list(range(1, counter.last + 1))


def timed_out(*_args) -> None:
    raise SystemExit("the benchmark ran out of time (--timeout)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_fd")
    parser.add_argument("--clients", default="50,200")
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--server", choices=["gunicorn-sync", "gunicorn", "uvicorn"],
                        default="gunicorn-sync")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--connection", choices=["keep-alive", "per-ticket"],
                        default="keep-alive",
                        help="each client keeps one connection for all its tickets, or opens "
                             "one per ticket as a kiosk or a phone does between applicants")
    parser.add_argument("--seal", choices=["worker", "commit"], default="worker",
                        help="who seals the audit entries into the hash chain: `manage.py "
                             "worker` running beside the server (AUDIT_SEAL_AFTER_COMMIT=false, "
                             "as in production), or each request after its commit")
    args = parser.parse_args()
    if urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the benchmark only talks to a database on this machine")
    signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(args.timeout)

    ensure_database(args.database_url)
    env = server_env(args.database_url)
    env["AUDIT_SEAL_AFTER_COMMIT"] = "true" if args.seal == "commit" else "false"
    window_id, token = prepare(env)
    port = free_port()
    print(f"server: {args.server}, {args.workers} workers"
          + (f" x {args.threads} threads" if args.server == "gunicorn" else "")
          + f", 127.0.0.1:{port}; database {urlsplit(args.database_url).path.lstrip('/')}; "
          f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    sealer = start_worker(env) if args.seal == "worker" else None  # starts while the server does
    process = start_server(args.server, port, env, args.workers, args.threads)
    try:
        issue_phase(port, 10, 2)  # warm-up: connections, imports, caches
        results = [issue_phase(port, int(c), args.per_client,
                               CpuMeter(args.database_url, process.pid),
                               sealer.pid if sealer else None, args.connection == "keep-alive")
                   for c in args.clients.split(",")]
        calls = call_phase(port, token, window_id, args.calls)
    finally:
        stop_server(process)
        if sealer:
            stop_server(sealer)
    issued, gapless = check_numbers()
    waiting, checked, intact = check_audit()

    for r in results:
        print(f"ticket issue, {r['clients']:>3} clients: {r['ok']}/{r['requests']} tickets in "
              f"{r['wall']:.2f} s = {r['throughput']:.0f} tickets/s; latency p50 {r['p50']:.0f} ms,"
              f" p95 {r['p95']:.0f} ms, max {r['max']:.0f} ms; p95/goal = "
              f"{r['p95'] / GOAL_P95_MS:.2f}" + (f"; FAILED {r['failed']}: {r['failures']}"
                                                if r["failed"] else ""))
        print(f"    CPU per ticket: server {r['cpu']['server']:.2f} ms, PostgreSQL "
              f"{r['cpu']['db']:.2f} ms, benchmark clients {r['cpu']['client']:.2f} ms"
              + (f", worker (audit sealing) {r['cpu']['sealer']:.2f} ms" if "sealer" in r["cpu"]
                 else ""))
    print(f"call next (one window, queue of ~{issued - args.calls} left waiting): {calls['calls']}"
          f" calls, p50 {calls['p50']:.1f} ms, p95 {calls['p95']:.1f} ms, "
          f"max {calls['max']:.1f} ms")
    print(f"numbers of prefix {PREFIX} today: {issued} issued, "
          f"{'gapless and unique' if gapless else 'NOT GAPLESS'}")
    print(f"audit chain: {checked} entries {'verified' if intact else 'BROKEN'}; "
          f"{waiting} were waiting for their seal when the load stopped")
    last = results[-1]
    met = last["p95"] < GOAL_P95_MS and not last["failed"]
    print(f"goal p95 < {GOAL_P95_MS:.0f} ms at {last['clients']} clients: "
          f"{'met' if met else 'NOT met'}")
    return 0 if gapless and intact and not any(r["failed"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
