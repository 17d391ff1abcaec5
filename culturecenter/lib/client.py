"""Who is asking, as far as the network can tell.

Behind the documented reverse proxy (DJANGO_BEHIND_PROXY=1) every request comes from
the proxy's address; the client's is the right-most entry of `X-Forwarded-For`, the one
our proxy appended. Entries to its left were sent by the client and can say anything,
so they are never used. Without a proxy the header is ignored entirely."""

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        return str(ip_address(forwarded))
    except ValueError:
        return remote
