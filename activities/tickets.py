"""Ticket codes: 8 random characters and a 4-character signature, e.g. K7QX-M2PA-9F3C.

Short enough to type at the door, unguessable, and meaningless without the
database: the code says nothing about the person. A typo or a forged code fails
the signature before any lookup."""

import hashlib
import hmac
import re
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
TOKEN_LENGTH, SIGNATURE_LENGTH = 8, 4


def _signature(token: str) -> str:
    digest = hmac.new(f"ticket:{settings.SECRET_KEY}".encode(), token.encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:SIGNATURE_LENGTH])


def signed(token: str) -> str:
    """The full code for an 8-character token of ALPHABET."""
    return token + _signature(token)


def new_code() -> str:
    return signed("".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH)))


def normalise(typed: str) -> str | None:
    """The stored form of a typed, scanned or pasted code (or ticket URL), or None if it is not genuine."""
    text = (typed or "").strip().upper()
    if "/" in text:  # a scanned ticket URL: take its last segment
        text = text.rstrip("/").rsplit("/", 1)[-1]
    code = re.sub(r"[\s-]", "", text)
    if len(code) != TOKEN_LENGTH + SIGNATURE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    token, signature = code[:TOKEN_LENGTH], code[TOKEN_LENGTH:]
    return code if hmac.compare_digest(signature, _signature(token)) else None


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
