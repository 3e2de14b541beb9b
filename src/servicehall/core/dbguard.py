"""Database triggers that refuse UPDATE and DELETE on the audit log, so not even raw SQL or a
forgotten queryset can rewrite history. Installed by migration core.0002 unless the setting
AUDIT_DB_GUARD is off (the test suite turns it off so transactional tests can empty tables,
and installs the guard itself where it tests it)."""

INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only'); END;""",
        """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only'); END;""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'core_auditentry is append-only'; END; $$ LANGUAGE plpgsql;""",
        "DROP TRIGGER IF EXISTS core_auditentry_no_change ON core_auditentry;",
        """CREATE TRIGGER core_auditentry_no_change BEFORE UPDATE OR DELETE ON core_auditentry
           FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();""",
        "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
        """CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
           FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only();""",
    ],
}
REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
        "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditentry_no_change ON core_auditentry;",
        "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
        "DROP FUNCTION IF EXISTS core_auditentry_append_only();",
    ],
}


def _execute(connection, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)


def install_guard(connection) -> None:
    _execute(connection, INSTALL)


def remove_guard(connection) -> None:
    _execute(connection, REMOVE)
