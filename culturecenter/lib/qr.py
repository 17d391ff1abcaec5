"""QR codes that phones can read.

segno picks a Micro QR for short data, which WeChat, phone cameras and most door
scanners cannot read; every code here is a regular QR code with the full quiet
zone of four modules the standard asks for."""

import segno
from django.utils.safestring import mark_safe

QUIET_ZONE = 4  # modules of white around the code (ISO/IEC 18004)


def make(data: str) -> segno.QRCode:
    """A regular (never Micro) QR code, error correction M or better."""
    return segno.make(data, error="m", micro=False)


def svg_inline(data: str):
    """Inline SVG markup that scales with its box (the page gives it its size)."""
    return mark_safe(make(data).svg_inline(scale=10, border=QUIET_ZONE, dark="#000", light="#fff", omitsize=True))
