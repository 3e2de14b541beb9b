"""Benchmark the supervision scan on PostgreSQL: N open cases classified, then rescanned.

Usage: python bench/bench_supervision.py [--cases 1000000] [--db bench_sup] [--keep]

Goals (issue 5): 1,000,000 open cases classified in < 10 s, and a rescan with nothing changed
in < 0.5 s. The cases are generated in SQL (generate_series), not through the services: the
intake path is not what is measured. The database `--db` is created on the server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432) and dropped afterwards unless
`--keep`; an existing one with the same number of cases is reused.

Printed figures: the first scan (every case read, boundaries computed, watch rows written),
an incremental rescan on the same day (what the worker runs every minute), a forced full rescan
with nothing changed (every case read again, nothing written), and the next day's relight.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

TODAY = date(2026, 10, 21)
DEPARTMENTS = 35
ITEMS_PER_DEPARTMENT = 4


def database_url(name: str) -> tuple[str, str]:
    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlparse(base)
    return urlunparse(parts._replace(path=f"/{name}")), urlunparse(parts._replace(path="/postgres"))


def ensure_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()


def hall():
    """A center with the official calendar, departments and items (through the services)."""
    from servicehall.catalog import services as catalog_services
    from servicehall.catalog.models import Department, ServiceItem
    from servicehall.core.models import CalendarDay, Center
    from servicehall.core.official_calendar import official_days
    from tests.factories import elements

    center, created = Center.objects.get_or_create(code="440300",
                                                   defaults={"name": "基准测试行政服务中心"})
    if created:
        CalendarDay.objects.bulk_create(
            CalendarDay(center=center, date=d.date, is_working=d.is_working, note=d.note)
            for d in official_days() if d.date.year in (2025, 2026))
        center.calendar_version = 1
        center.save(update_fields=["calendar_version"])
    if not ServiceItem.objects.exists():
        for d in range(DEPARTMENTS):
            department = Department.objects.create(center=center, code=f"B{d:02d}",
                                                   name=f"基准测试局{d:02d}",
                                                   short_name=f"测试局{d:02d}")
            for i in range(ITEMS_PER_DEPARTMENT):
                catalog_services.item_create(department=department, code=f"B{d:02d}-{i:04d}",
                                             elements=elements(promised_limit=5 + 5 * i),
                                             by=None)
    return center


def fill_cases(center, n: int) -> float:
    """`n` open cases in one INSERT … SELECT generate_series; every NOT NULL column filled."""
    from django.db import connection

    from servicehall.catalog.models import ServiceItem

    items = list(ServiceItem.objects.values_list("pk", "current_version_id", "department_id"))
    specific = {
        "center_id": str(center.pk),
        "number": "'B' || lpad(g::text, 9, '0')",
        "item_id": f"(ARRAY{[i[0] for i in items]})[1 + g % {len(items)}]",
        "item_version_id": f"(ARRAY{[i[1] for i in items]})[1 + g % {len(items)}]",
        "department_id": f"(ARRAY{[i[2] for i in items]})[1 + g % {len(items)}]",
        "case_type": "'promised'",
        # 3% suspended, 1% reported up, the rest in progress
        "status": "CASE WHEN g % 100 < 3 THEN 'suspended' WHEN g % 100 = 3 THEN 'reported_up' "
                  "ELSE 'in_progress' END",
        "channel": "'window'",
        "acceptance_mode": "'standard'",
        "applicant_kind": "'person'",
        "applicant_name": "'基准申请人'",
        "received_on": "d.due - 20",
        "accepted_on": "d.due - 20",
        "materials_completed_on": "d.due - 20",
        "clock_start": "d.due - 20",
        "promised_due": "d.due",
        "legal_due": "d.due + 14",
        "current_step_due": "d.due - (g % 12)",
        "is_urgent": "g % 50 = 0",
        "return_reasons": "'[]'::jsonb",
        "revision": "1",
        "visits": "1",
        "created_at": "now()",
        "updated_at": "now()",
    }
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT column_name, data_type, is_nullable FROM information_schema.columns
            WHERE table_name = 'cases_case' AND column_name <> 'id' ORDER BY ordinal_position""")
        columns = cursor.fetchall()
        names, values = [], []
        for name, data_type, nullable in columns:
            if name in specific:
                value = specific[name]
            elif nullable == "YES":
                continue
            elif data_type in ("character varying", "text"):
                value = "''"
            elif data_type == "boolean":
                value = "false"
            elif data_type in ("integer", "smallint", "bigint", "numeric"):
                value = "0"
            elif data_type == "jsonb":
                value = "'[]'::jsonb"
            else:
                raise SystemExit(f"no bench value for cases_case.{name} ({data_type})")
            names.append(name)
            values.append(value)
        started = time.perf_counter()
        # promised deadlines spread from 15 days ago to 45 days ahead of TODAY
        cursor.execute(
            f"INSERT INTO cases_case ({', '.join(names)}) "
            f"SELECT {', '.join(values)} FROM generate_series(1, %s) AS g "
            f"CROSS JOIN LATERAL (SELECT DATE '{TODAY.isoformat()}' - 15 "
            f"+ ((g::bigint * 7919) %% 61)::int AS due) AS d".replace("g % ", "g %% "),
            [n])
        cursor.execute("ANALYZE cases_case")
    return time.perf_counter() - started


def timed(label: str, goal: float | None, run):
    started = time.perf_counter()
    report = run()
    seconds = time.perf_counter() - started
    verdict = ""
    if goal is not None:
        verdict = (f"  goal < {goal:g} s: {'met' if seconds < goal else 'NOT met'} "
                   f"({seconds / goal:.2f} × goal)")
    print(f"{label:<46} {seconds:8.3f} s  read {report.read:>9,}  written {report.written:>9,}"
          f"{verdict}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default="bench_sup")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    url, admin_url = database_url(args.db)
    ensure_database(admin_url, args.db)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from servicehall.cases.models import Case
    from servicehall.supervision.models import CaseWatch, ScanState
    from servicehall.supervision.scanner import light_counts, scan

    try:
        call_command("migrate", verbosity=0)
        center = hall()
        have = Case.objects.count()
        if have != args.cases:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE supervision_casewatch, cases_case CASCADE")
            print(f"generated {args.cases:,} open cases in {fill_cases(center, args.cases):.1f} s")
        CaseWatch.objects.all().delete()
        ScanState.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE supervision_casewatch")
        print(f"PostgreSQL {connection.cursor().connection.info.server_version}, "
              f"{args.cases:,} open cases, today {TODAY}")
        timed("first scan (classify every open case)", 10.0, lambda: scan(today=TODAY))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE supervision_casewatch")
        timed("rescan, nothing changed (every minute)", 0.5, lambda: scan(today=TODAY))
        timed("rescan, nothing changed (second run)", 0.5, lambda: scan(today=TODAY))
        timed("forced full rescan, nothing changed", None, lambda: scan(today=TODAY, full=True))
        timed("next day: relight what the date changed", None,
              lambda: scan(today=date.fromordinal(TODAY.toordinal() + 1)))
        print("lights:", ", ".join(f"{k} {v:,}" for k, v in sorted(light_counts().items())))
    finally:
        connection.close()
        if not args.keep:
            drop_database(admin_url, args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
