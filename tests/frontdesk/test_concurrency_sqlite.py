"""The concurrency rules on the embedded default, SQLite with IMMEDIATE transactions: 40
threads issue 200 tickets and book one slot at once, in a separate process on a database
file (see sqlite_concurrency.py for why not the in-memory test database)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("sqlite_concurrency.py")


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    database = tmp_path_factory.mktemp("sqlite") / "hall.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
           "DJANGO_SETTINGS_MODULE": "servicehall.config.test_settings"}
    done = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_200_concurrent_issues_on_sqlite_give_gapless_unique_numbers(outcome):
    assert outcome["issue_errors"] == []
    assert outcome["seqs"] == list(range(1, 201))


def test_parallel_bookings_on_sqlite_never_exceed_the_capacity(outcome):
    assert outcome["booked"] == outcome["slot_booked"] == outcome["slot_capacity"] == 3
    assert outcome["booking_errors"] == ["CapacityFull"]
