from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# psycopg remembers how it turned a statement's text into PostgreSQL's ($1, $2, ...) only for
# statements of at most 50 parameters and 4,096 characters. A case's INSERT and UPDATE (61
# columns), a case locked with its item, version, department and center, and a case's steps
# written in one INSERT are longer, and were converted anew on every call: converting took
# 3.8 ms of a lifecycle's CPU (intake, three steps, decision), 1.8 ms with these in the cache.
# The cache keeps 128 statements either way.
PSYCOPG_CACHED_STATEMENT_PARAMS = 400
PSYCOPG_CACHED_STATEMENT_LENGTH = 32_768


def _let_psycopg_cache_long_statements() -> None:
    try:
        from psycopg import _queries
    except ImportError:  # SQLite only
        return
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS,
                                               PSYCOPG_CACHED_STATEMENT_PARAMS)
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH,
                                               PSYCOPG_CACHED_STATEMENT_LENGTH)


class CoreConfig(AppConfig):
    name = "servicehall.core"
    label = "core"
    verbose_name = _("Centers, calendar and audit")

    def ready(self) -> None:
        _let_psycopg_cache_long_statements()
