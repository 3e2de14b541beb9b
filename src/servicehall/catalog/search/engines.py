"""The two engines behind the guide's search, chosen by the database in use.

SQLite (the embedded default): an FTS5 virtual table ``catalog_search_fts`` over the token
columns of ``catalog_searchentry`` (external content, kept by triggers), with the ``unicode61``
tokenizer: our bigrams are already separated by spaces, so it only has to split on them. FTS5's
own ``trigram`` tokenizer (SQLite ≥ 3.34) was not used: it cannot match queries shorter than
three characters, and most Chinese words are two. Ranked by bm25 with the name column weighted
10, keywords 5, materials and conditions 1.

PostgreSQL (production): a generated ``document tsvector`` column over the same token columns
with the ``simple`` configuration (no stemming, no stop words), weights A/B/C, and a GIN index;
matched with ``@@ to_tsquery('simple', …)`` using phrase (``<->``) and prefix (``:*``)
operators, ranked by ts_rank. pg_trgm was not used: it needs three characters as well, and in
a database whose ctype is C it makes no trigrams of Chinese at all; the bigram tsvector works
under any locale because the default parser treats every non-ASCII character as a letter.

Both engines see the same tokens (text.index_tokens) and equivalent queries (Query.fts5 and
Query.tsquery), so a result differs between them only in the tie-breaking score."""

from dataclasses import dataclass

from django.db import connection

from .text import Query

MAX_MATCHES = 500

SQLITE_SQL = """
SELECT e.item_id, bm25(catalog_search_fts, 10.0, 5.0, 1.0), e.name, e.keywords, e.body
FROM catalog_search_fts JOIN catalog_searchentry e ON e.item_id = catalog_search_fts.rowid
WHERE catalog_search_fts MATCH %s AND e.center_id = %s
ORDER BY 2 LIMIT %s
"""

POSTGRESQL_SQL = """
SELECT e.item_id, -ts_rank('{0.1, 0.2, 0.5, 1.0}', e.document, q), e.name, e.keywords, e.body
FROM catalog_searchentry e, to_tsquery('simple', %s) q
WHERE e.document @@ q AND e.center_id = %s
ORDER BY 2 LIMIT %s
"""


@dataclass(frozen=True)
class Match:
    item_id: int
    score: float  # lower is better on both engines
    name: str
    keywords: str
    body: str


def matches(*, center_id: int, query: Query, limit: int = MAX_MATCHES) -> list[Match]:
    """The entries of the center that match the query, best engine score first."""
    if not query:
        return []
    if connection.vendor == "postgresql":
        sql, expression = POSTGRESQL_SQL, query.tsquery()
    elif connection.vendor == "sqlite":
        sql, expression = SQLITE_SQL, query.fts5()
    else:
        raise NotImplementedError(f"no search engine for {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, center_id, limit])
        return [Match(*row) for row in cursor.fetchall()]


SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE catalog_search_fts USING fts5(
        name_tokens, keyword_tokens, body_tokens,
        content='catalog_searchentry', content_rowid='item_id', tokenize='unicode61')""",
    """CREATE TRIGGER catalog_searchentry_ai AFTER INSERT ON catalog_searchentry BEGIN
        INSERT INTO catalog_search_fts(rowid, name_tokens, keyword_tokens, body_tokens)
        VALUES (new.item_id, new.name_tokens, new.keyword_tokens, new.body_tokens);
    END""",
    """CREATE TRIGGER catalog_searchentry_ad AFTER DELETE ON catalog_searchentry BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, name_tokens, keyword_tokens,
                                       body_tokens)
        VALUES ('delete', old.item_id, old.name_tokens, old.keyword_tokens, old.body_tokens);
    END""",
    """CREATE TRIGGER catalog_searchentry_au AFTER UPDATE ON catalog_searchentry BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, name_tokens, keyword_tokens,
                                       body_tokens)
        VALUES ('delete', old.item_id, old.name_tokens, old.keyword_tokens, old.body_tokens);
        INSERT INTO catalog_search_fts(rowid, name_tokens, keyword_tokens, body_tokens)
        VALUES (new.item_id, new.name_tokens, new.keyword_tokens, new.body_tokens);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalog_searchentry_au",
    "DROP TRIGGER IF EXISTS catalog_searchentry_ad",
    "DROP TRIGGER IF EXISTS catalog_searchentry_ai",
    "DROP TABLE IF EXISTS catalog_search_fts",
]
POSTGRESQL_CREATE = [
    """ALTER TABLE catalog_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name_tokens), 'A')
        || setweight(to_tsvector('simple', keyword_tokens), 'B')
        || setweight(to_tsvector('simple', body_tokens), 'C')) STORED""",
    "CREATE INDEX catalog_searchentry_document ON catalog_searchentry USING gin (document)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS catalog_searchentry_document",
    "ALTER TABLE catalog_searchentry DROP COLUMN IF EXISTS document",
]


def create_structures(schema_editor) -> None:
    """The engine's index for the database in use (run by migration 0003)."""
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(vendor, []):
        schema_editor.execute(statement)


def drop_structures(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(statement)
