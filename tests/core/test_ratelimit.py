"""The fixed-window limiter: the same counting on the local-memory cache and on Redis (where it
runs as one script call; skipped when no Redis answers on 127.0.0.1:6379)."""

import socket
import uuid

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from servicehall.core.ratelimit import allow

REDIS_URL = "redis://127.0.0.1:6379/13"


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def counts(key: str, limit: int = 3) -> list[bool]:
    return [allow(key, limit=limit, window_seconds=60) for _ in range(limit + 2)]


def test_local_memory_allows_the_limit_then_refuses():
    key = f"test:{uuid.uuid4()}"
    assert counts(key) == [True, True, True, False, False]
    assert allow(f"test:{uuid.uuid4()}", limit=3, window_seconds=60)  # another key, own budget


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379")
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": REDIS_URL, "KEY_PREFIX": "ratelimit-test"}})
def test_redis_allows_the_limit_then_refuses_with_the_window_as_expiry():
    key = f"test:{uuid.uuid4()}"
    try:
        assert counts(key) == [True, True, True, False, False]
        assert allow(f"test:{uuid.uuid4()}", limit=3, window_seconds=60)
        # the counter is the cache's own key, readable through the cache API, and it expires
        assert cache.get(f"ratelimit:{key}") == 5
        client = caches["default"]._cache.get_client(write=True)
        ttl = client.ttl(caches["default"].make_and_validate_key(f"ratelimit:{key}"))
        assert 0 < ttl <= 60
    finally:
        cache.delete(f"ratelimit:{key}")
