"""A fixed-window counter in the cache: at most `limit` hits per key per window. Shared by all
processes when the cache is Redis; per process with the local-memory cache."""

import weakref
from typing import TYPE_CHECKING

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

if TYPE_CHECKING:
    from redis.commands.core import Script

# Count and start the window in one atomic step: the key expires `window` seconds after its
# first hit, as with add-then-incr, but in one round trip and never without an expiry.
_COUNT_HIT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return hits
"""

# One script object per cache backend (Django keeps one backend per thread). Django's redis
# backend builds a new client for every call, which cost more CPU than the counting itself.
_scripts: "weakref.WeakKeyDictionary[RedisCache, Script]" = weakref.WeakKeyDictionary()


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once the window already holds `limit` hits."""
    cache_key = f"ratelimit:{key}"
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_hits(backend, cache_key, window_seconds) <= limit
    if backend.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        hits = backend.incr(cache_key)
    except ValueError:  # the window expired between add and incr
        backend.add(cache_key, 1, timeout=window_seconds)
        return True
    return hits <= limit


def _redis_hits(backend: RedisCache, cache_key: str, window_seconds: int) -> int:
    """The key's hits in its window, this one included: one script call on Redis, under the
    same key as the cache API would use."""
    script = _scripts.get(backend)
    if script is None:  # the backend's own connection pool, through a client kept for good
        client = backend._cache.get_client(write=True)
        script = _scripts[backend] = client.register_script(_COUNT_HIT)
    return int(script(keys=[backend.make_and_validate_key(cache_key)],
                      args=[max(1, int(window_seconds))]))
