"""The public guide's full-text search over published items (see text.py for how Chinese is
cut into tokens, index.py for how entries are kept, engines.py for SQLite and PostgreSQL)."""
