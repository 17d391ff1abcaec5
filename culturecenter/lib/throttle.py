"""Count events per key in the shared cache and refuse once a limit is reached."""

import hashlib

from django.core.cache import cache

from culturecenter.lib.client import client_address

HOUR = 3600
DAY = 24 * HOUR


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


class Limit:
    """How often one login and one client address may do something that stores rows
    (register, answer, post, +1): a script's flood is refused, while a villager's ordinary
    use stays well under the limits.

    Callers ask `reached(request)` before acting and `count(request)` once they acted.
    A limit of 0 switches that counter off."""

    def __init__(self, name: str, *, window_seconds: int, per_user: int = 0, per_address: int = 0):
        self.counters = [
            (Throttle(f"{name}-user", per_user, window_seconds), self._user_key),
            (Throttle(f"{name}-address", per_address, window_seconds), client_address),
        ]

    @staticmethod
    def _user_key(request) -> str | None:
        return str(request.user.pk) if request.user.is_authenticated else None

    def _keys(self, request):
        for throttle, key_of in self.counters:
            key = key_of(request)
            if throttle.limit > 0 and key:
                yield throttle, key

    def reached(self, request) -> bool:
        return any(throttle.is_blocked(key) for throttle, key in self._keys(request))

    def count(self, request) -> None:
        for throttle, key in self._keys(request):
            throttle.hit(key)
