"""Database triggers that refuse UPDATE and DELETE on the audit log, so not even raw SQL or a
forgotten queryset can rewrite history. The one update let through is sealing: an unsealed
row receives its seq, prev_hash and hash, and nothing else of it changes. Installed by
migrations core.0002 and core.0004 unless the setting AUDIT_DB_GUARD is off (the test suite
turns it off so transactional tests can empty tables, and installs the guard itself where it
tests it)."""

SEAL_COLUMNS = ("seq", "prev_hash", "hash")
CONTENT_COLUMNS = ("id", "created_at", "action", "outcome", "actor_id", "actor_label",
                   "center_id", "object_type", "object_id", "object_repr", "changes", "message",
                   "ip", "channel")
_CONTENT_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT_COLUMNS)
_NOT_SEALING = "OLD.hash IS NOT NULL OR NEW.hash IS NULL OR " + _CONTENT_CHANGED
_UNCHANGED_CONTENT_PG = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}"
                                     for c in CONTENT_COLUMNS)

INSTALL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
        f"""CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
           WHEN {_NOT_SEALING}
           BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only'); END;""",
        """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only'); END;""",
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
           BEGIN
             IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
                AND {_UNCHANGED_CONTENT_PG} THEN
               RETURN NEW;
             END IF;
             RAISE EXCEPTION 'core_auditentry is append-only';
           END; $$ LANGUAGE plpgsql;""",
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
