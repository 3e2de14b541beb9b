"""Fast settings for the test suite; the database still comes from DATABASE_URL."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-files"  # noqa: F405
ONLINE_PRIVATE_DIR = BASE_DIR / "var" / "test-private"  # noqa: F405
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}  # noqa: F405
# Transactional tests empty every table between tests; tests of the guard install it themselves.
AUDIT_DB_GUARD = False
