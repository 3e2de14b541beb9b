"""Benchmark WorkCalendar.add_working_days against chinese_calendar.find_workday.

Usage: python bench/bench_calendar.py [--pairs 1000000] [--seed 1]

Semantics mapping (from chinese_calendar/utils.py, 1.11.0): find_workday(k, d)
for k >= 0 is the (k+1)-th working day counting from d *inclusive*. Ours counts
strictly after start, so for n >= 1 ours(start, n) == find_workday(n - 1, start + 1 day)
(NOT find_workday(n, start), which is off by one when start is a rest day).
For n == 0 both return start if it is a working day, else the next working day,
so ours(start, 0) == find_workday(0, start).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import chinese_calendar

from servicehall.core.official_calendar import official_days
from servicehall.core.workcalendar import WorkCalendar

FIRST, LAST = date(2004, 1, 1), date(2025, 12, 31)
MAX_N = 60  # 60 working days after 2025-12-31 still ends inside 2026


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    lo, hi = FIRST.toordinal(), LAST.toordinal()
    pairs = [
        (date.fromordinal(rng.randint(lo, hi)), rng.randint(0, MAX_N)) for _ in range(args.pairs)
    ]
    # Arguments for find_workday, mapped outside the timed region (see module docstring).
    one = timedelta(days=1)
    theirs_args = [(0, d) if n == 0 else (n - 1, d + one) for d, n in pairs]

    days = official_days()
    t0 = time.perf_counter()
    cal = WorkCalendar.from_days(days)
    build = time.perf_counter() - t0

    add = cal.add_working_days
    t0 = time.perf_counter()
    ours = [add(d, n) for d, n in pairs]
    t_ours = time.perf_counter() - t0

    find = chinese_calendar.find_workday
    t0 = time.perf_counter()
    theirs = [find(k, d) for k, d in theirs_args]
    t_theirs = time.perf_counter() - t0

    for (d, n), a, b in zip(pairs, ours, theirs, strict=True):
        if a != b:
            print(f"MISMATCH start={d} n={n}: WorkCalendar={a} chinese_calendar={b}")
            return 1

    count = len(pairs)
    print(f"pairs: {count:,}  identical: yes")
    print(f"chinese_calendar.find_workday: {t_theirs:.2f} s  ({count / t_theirs:,.0f} pairs/s)")
    print(
        f"WorkCalendar.add_working_days: {t_ours:.2f} s  ({count / t_ours:,.0f} pairs/s)"
        f"  index build {build:.2f} s"
    )
    print(f"speed ratio: {t_theirs / t_ours:.1f}x  (goal >= 10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
