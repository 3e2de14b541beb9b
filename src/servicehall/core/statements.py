"""Written-out statements of the busiest paths (the inserts of core.inserts, the counters of
core.counters, a ticket's category, the progress lookup, a case's lists in the API) are sent
prepared on PostgreSQL: psycopg keeps them per connection (settings.DATABASES turns preparing
on; DATABASE_PREPARED_STATEMENTS=false turns it off behind a pooler), so PostgreSQL parses and
plans each once per connection, not per request, and the parameters travel apart from the SQL
instead of being quoted into it. Elsewhere, or when execute wrappers are installed, they go
through Django's cursor.

What Django's cursor does for a statement is kept: the health check and connection on first use,
the thread and async guards, the refusal inside a broken transaction, Django's database
exceptions, and the queries log when it is kept (DEBUG, or a test counting queries). Only for
statements that return no timestamps: Django's per-cursor time zone loader is not set here."""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.asyncio import async_unsafe


@async_unsafe
def fetch(sql: str, params: Sequence) -> list[tuple]:
    """The rows of `sql` run with `params` (%s placeholders) on the default connection."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: `connection` looks it up per use
    if db.vendor != "postgresql" or db.execute_wrappers:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg

    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors, psycopg.Cursor(db.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows = cursor.fetchall()
    if db.queries_logged:
        db.queries_log.append({"sql": f"{sql} -- {list(params)}", "time": "0.000"})
    return rows
