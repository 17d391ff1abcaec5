"""Count failures per key in the shared cache and refuse once a limit is reached."""

import hashlib

from django.core.cache import cache


class Throttle:
    def __init__(self, prefix: str, limit: int, window_seconds: int):
        self.prefix, self.limit, self.window = prefix, limit, window_seconds

    def _key(self, key: str) -> str:
        # Hashed: whatever was typed (NUL bytes, 10 kB of text) makes a short, safe cache key.
        return f"throttle:{self.prefix}:{hashlib.sha256(key.encode('utf-8', 'replace')).hexdigest()}"

    def is_blocked(self, key: str) -> bool:
        return cache.get(self._key(key), 0) >= self.limit

    def hit(self, key: str) -> None:
        # add() starts the window only once; incr() then counts within it.
        if not cache.add(self._key(key), 1, self.window):
            try:
                cache.incr(self._key(key))
            except ValueError:  # expired between add() and incr()
                cache.add(self._key(key), 1, self.window)

    def reset(self, key: str) -> None:
        cache.delete(self._key(key))
