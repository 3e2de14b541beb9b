"""A fixed-window counter in the cache: at most `limit` hits per key per window. Shared by all
processes when the cache is Redis; per process with the local-memory cache."""

from django.core.cache import cache


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once the window already holds `limit` hits."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return hits <= limit
