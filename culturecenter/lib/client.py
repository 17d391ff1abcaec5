"""Who is asking: the client's address, as far as the site can tell."""


def client_address(request) -> str:
    """The address the request came from; throttles count per address with it."""
    return request.META.get("REMOTE_ADDR", "")
