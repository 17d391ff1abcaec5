"""How failed logins are counted, so that guessing is slow and no stranger can lock anyone out.

- One account from one address: LOGIN_FAILURE_LIMIT failures block that pair for the window.
- One account from anywhere: after as many failures, it takes one try per
  LOGIN_ACCOUNT_PAUSE_SECONDS; the right password still works after the pause.
- One address, any account: LOGIN_FAILURE_LIMIT_PER_ADDRESS failures block it (loose: a
  village may share one address).

Login names are compared as typed by a person: NFKC (full-width `ａdmin` is `admin`),
case-folded and trimmed. Staff lift an account's block in the admin (`lift`)."""

import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from culturecenter.lib.throttle import Throttle


def normalise_login(name: str | None) -> str:
    return unicodedata.normalize("NFKC", name or "").casefold().strip()[:150]


@dataclass
class Refusal:
    code: str  # "blocked" (wait minutes) or "paused" (wait seconds)
    wait: int


class LoginGuard:
    def __init__(self, username: str, address: str):
        self.account = normalise_login(username)
        self.address = address
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        self._account_failures = Throttle("login-account", settings.LOGIN_FAILURE_LIMIT, window)
        self._pair_failures = Throttle("login-pair", settings.LOGIN_FAILURE_LIMIT, window)
        self._address_failures = Throttle("login-address", settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, window)

    @property
    def _pair(self) -> str:
        # Lifting a block moves the account to a new generation, voiding every pair at once.
        return f"{self.account}|{cache.get(self._generation_key(self.account), 0)}|{self.address}"

    @staticmethod
    def _generation_key(account: str) -> str:
        return f"login-generation:{Throttle('', 0, 0)._key(account)}"

    def _last_failure_key(self) -> str:
        return f"login-last-failure:{self._account_failures._key(self.account)}"

    def refusal(self) -> Refusal | None:
        """Why this attempt may not even be checked, or None."""
        window_minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
        if self._pair_failures.is_blocked(self._pair) or self._address_failures.is_blocked(self.address):
            return Refusal("blocked", window_minutes)
        if self._account_failures.is_blocked(self.account):
            waited = time.time() - cache.get(self._last_failure_key(), 0)
            if waited < settings.LOGIN_ACCOUNT_PAUSE_SECONDS:
                return Refusal("paused", max(1, round(settings.LOGIN_ACCOUNT_PAUSE_SECONDS - waited)))
        return None

    def failed(self) -> None:
        self._account_failures.hit(self.account)
        self._pair_failures.hit(self._pair)
        self._address_failures.hit(self.address)
        cache.set(self._last_failure_key(), time.time(), settings.LOGIN_FAILURE_WINDOW_SECONDS)

    def succeeded(self) -> None:
        self._account_failures.reset(self.account)
        self._pair_failures.reset(self._pair)

    @classmethod
    def lift(cls, username: str) -> None:
        """Staff lift an account's block: its counters start again from every address."""
        guard = cls(username, "")
        guard._account_failures.reset(guard.account)
        key = cls._generation_key(guard.account)
        cache.set(key, cache.get(key, 0) + 1, None)
