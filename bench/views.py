from django.http import HttpResponse

CEILING_PAGE = "<!doctype html><html lang=zh-hans><title>清水文化中心</title><p>清水文化中心</p></html>"


def ceiling(request):
    """A fixed short page through the same middleware: the most the server can do,
    against which `make bench` reports the real pages. Mounted only on the benchmark database."""
    return HttpResponse(CEILING_PAGE)
