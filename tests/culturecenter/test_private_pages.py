"""Personal pages stay out of browser histories and shared caches; public pages may be kept."""

from django.test import Client
from django.urls import reverse

from tests.culturecenter.test_site import PRODUCTION, _manage
from tests.test_access_matrix import EXPECTED, PERSONAS, all_url_names, scene  # noqa: F401  (a fixture)

# The login form and the health check are never cached by anyone (Django's `never_cache`).
NEVER_CACHED = {"healthz", "login"}


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_every_page_behind_a_login_answers_private_no_store_and_no_public_page_does(scene):  # noqa: F811
    kwargs, users = scene
    kept, marked = [], []
    for name, _params in all_url_names():
        answers = dict(zip(PERSONAS, EXPECTED[name], strict=True))
        if answers["anonymous"] == 200:
            response = Client().get(reverse(name, kwargs=kwargs.get(name)))
            if name not in NEVER_CACHED and {"private", "no-store"} & _cache_control(response):
                marked.append(f"{name}: {response.get('Cache-Control')!r}")
            continue
        for persona in PERSONAS[1:]:
            if answers[persona] != 200:
                continue
            client = Client()
            client.force_login(users[persona])
            response = client.get(reverse(name, kwargs=kwargs.get(name)))
            if not {"private", "no-store"} <= _cache_control(response):
                kept.append(f"{persona} {name}: {response.get('Cache-Control')!r}")
    assert kept == []
    assert marked == []


def test_the_personal_pages_named_in_the_issue_are_among_them(scene):  # noqa: F811
    kwargs, users = scene
    client = Client()
    client.force_login(users["villager"])
    for name in ("me", "notices", "export", "my_data", "activities:ticket"):
        assert {"private", "no-store"} <= _cache_control(client.get(reverse(name, kwargs=kwargs.get(name)))), name
    client.force_login(users["staff"])
    for name in ("activities:registrants", "activities:registrants_export", "activities:checkin"):
        assert {"private", "no-store"} <= _cache_control(client.get(reverse(name, kwargs=kwargs.get(name)))), name


def test_the_language_cookie_is_secure_and_same_site_in_production():
    script = (
        "from django.test import Client\n"
        "response = Client(HTTP_HOST='wenhua.qingshui.example').post("
        "'/i18n/setlang/', {'language': 'en', 'next': '/'}, secure=True)\n"
        "print(response.cookies['django_language'].output())"
    )
    result = _manage("shell", "-c", script, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    cookie = result.stdout.strip().splitlines()[-1]
    assert "django_language=en" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie
