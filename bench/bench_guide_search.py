"""How long the guide's search takes on the demo catalogue (585 items in the city hall).

Usage: DATABASE_URL=... python bench/bench_guide_search.py [--rounds 30]
Needs the demo hall in that database (manage.py load_demo). Prints, per query, the engine's
own query (FTS5 MATCH or tsvector @@), the whole search (synonyms, engine, ranking, the
published check) and the whole results page (HTML through the test client), as median and
95th percentile milliseconds, and the browse page (no query) as the yardstick."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

QUERIES = ["开饭店", "我想开个饭店", "营业执照", "许可", "证", "上户口", "建设工程规划许可证",
           "ktv", "量子计算机"]


def timed(function, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from servicehall.catalog.search import engines, text
    from servicehall.catalog.search.query import items_search, synonyms_for
    from servicehall.catalog.selectors import default_center, published_items

    center = default_center()
    if center is None or not published_items(center=center).exists():
        sys.exit("no demo hall here: run manage.py load_demo first")
    client = Client(HTTP_HOST="localhost")
    synonyms = synonyms_for(center=center)
    print(f"{connection.vendor}, {published_items(center=center).count()} published items, "
          f"{rounds} rounds; milliseconds, median / p95")
    print(f"{'query':<20}{'hits':>6}{'engine':>16}{'search':>16}{'page':>16}")
    for q in QUERIES:
        query = text.parse_query(q, synonyms)
        hits = len(items_search(center=center, q=q, items=published_items(center=center)).hits)
        engine = timed(lambda query=query: engines.matches(center_id=center.pk, query=query),
                       rounds)
        search = timed(lambda q=q: items_search(center=center, q=q,
                                                items=published_items(center=center)), rounds)
        page = timed(lambda q=q: client.get("/guide/search/", {"q": q}), rounds)
        print(f"{q:<20}{hits:>6}" + "".join(f"{m:>9.2f} /{p:>5.1f}" for m, p in
                                            (engine, search, page)))
    browse = timed(lambda: client.get("/guide/?all=1"), rounds)
    home = timed(lambda: client.get("/guide/"), rounds)
    print(f"browse page (no query): {browse[0]:.2f} / {browse[1]:.1f}; "
          f"home page: {home[0]:.2f} / {home[1]:.1f}")


if __name__ == "__main__":
    main()
