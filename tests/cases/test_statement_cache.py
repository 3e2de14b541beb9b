"""Every statement of an intake and a lifecycle fits psycopg's cache of converted statements
(core.apps raises its limits): none is converted anew on every call."""

import pytest
from django.db import connection

from servicehall.cases.services import case_decide, case_intake
from tests.cases.conftest import PERSON, to_decision

pytestmark = pytest.mark.django_db


def test_the_limits_are_raised_where_psycopg_is_installed():
    _queries = pytest.importorskip("psycopg._queries")
    assert _queries.MAX_CACHED_STATEMENT_PARAMS >= 400
    assert _queries.MAX_CACHED_STATEMENT_LENGTH >= 32_768


def test_a_lifecycles_statements_fit_the_cache(item_a, all_materials, clerk, reviewer_a,
                                              monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("psycopg converts statements on PostgreSQL only")
    from psycopg import _queries

    sizes = []  # (characters, parameters) of every statement psycopg converts
    convert = _queries.PostgresQuery.convert

    def measured(self, query, vars):
        sizes.append((len(query), len(vars or ())))
        return convert(self, query, vars)

    monkeypatch.setattr(_queries.PostgresQuery, "convert", measured)
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    case = to_decision(case, reviewer_a)
    case_decide(case=case, decision="approved", note="", by=reviewer_a)
    longest, most = max(n for n, _ in sizes), max(p for _, p in sizes)
    assert len(sizes) > 40
    assert most > 50 and longest > 4096  # beyond psycopg's own limits, so the test tells
    assert longest <= _queries.MAX_CACHED_STATEMENT_LENGTH
    assert most <= _queries.MAX_CACHED_STATEMENT_PARAMS
