"""Two app servers, one PostgreSQL: what one host changes, the other shows.

Starts two gunicorn hosts (production settings behind a proxy that says HTTPS) on the
database in DATABASE_URL, with the demo data in it, then as a villager: logs in on host A,
uses that session on host B, signs up on A and sees the places left change in B's cached
event list within the promised second; and shows that failed logins counted on A are
counted on B. Run by .ci/run after the suite:  .venv/bin/python .ci/two-hosts.py"""

import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
ENV = {
    **os.environ,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "two-hosts-check-secret-key-0123456789-0123456789-0123456789",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_BEHIND_PROXY": "1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
}
PORTS = {"A": 18231, "B": 18232}
VILLAGER, PASSWORD = "13800000001", "qingshui-demo-2024"


def django(code: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


class Browser:
    """Cookies kept by hand: the session cookie is Secure, and the proxy speaks HTTPS for us."""

    def __init__(self):
        self.cookies = {}

    def request(self, host, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", PORTS[host], timeout=10)
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", "Referer": f"https://127.0.0.1{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        connection.close()
        return response.status, text


def wait_until_up(port):
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn on {port} did not start")


def places_left(text, title):
    match = re.search(re.escape(title) + r".*?(\d+) places? left", text, re.S)
    return int(match.group(1)) if match else None


def main():
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env={**ENV, "DJANGO_DEBUG": "1"},
        check=True,
        capture_output=True,
    )
    found = django(
        "from activities.models import Event; from culturecenter.models import Member\n"
        "events = Event.objects.public().with_counts().filter(capacity__gt=0)\n"
        f"events = events.exclude(registrations__member__mobile='{VILLAGER}')\n"
        "e = next(e for e in events if e.signup_state() == 'open' and e.places_left() > 1)\n"
        f"print(e.pk, e.title, Member.objects.get(mobile='{VILLAGER}').pk, sep='|')"
    )
    event_id, title, member_id = found.splitlines()[-1].split("|")
    hosts = [
        subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "culturecenter.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1"],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in PORTS.values()
    ]
    try:
        for port in PORTS.values():
            wait_until_up(port)
        listing = f"/activities/?q={quote(title)}"
        anonymous = Browser()
        anonymous.request("B", "GET", "/")  # language cookie unset: English is chosen below
        english = Browser()
        english.cookies["django_language"] = "en"
        before = places_left(english.request("B", "GET", listing)[1], title)
        assert before is not None, "host B lists the event with its places left"

        villager = Browser()
        villager.request("A", "GET", "/accounts/login/")
        status, _ = villager.request("A", "POST", "/accounts/login/", {"username": VILLAGER, "password": PASSWORD})
        assert status == 302, f"log in on A: {status}"
        status, text = villager.request("B", "GET", "/accounts/me/")
        assert status == 200, f"the session made on A works on B: {status}"
        print("ok: a session made on host A is valid on host B")

        status, _ = villager.request("A", "POST", f"/activities/{event_id}/signup/", {"member": member_id})
        assert status == 302, f"sign up on A: {status}"
        confirmation = villager.request("A", "GET", f"/activities/{event_id}/")[1]
        assert "alert-success" in confirmation or "alert-warning" in confirmation, re.findall(
            r"alert[^>]*>[^<]*", confirmation
        )
        signed_up = time.monotonic()
        while (after := places_left(english.request("B", "GET", listing)[1], title)) == before:
            assert time.monotonic() - signed_up < 1.5, "host B still shows the old places left after 1.5 s"
            time.sleep(0.1)
        assert after == before - 1, (before, after)
        print(f"ok: a sign-up on host A shows in host B's cached list after {time.monotonic() - signed_up:.2f} s")

        stranger = Browser()
        stranger.request("A", "GET", "/accounts/login/")
        for attempt in range(10):
            host = "A" if attempt % 2 == 0 else "B"
            status, text = stranger.request(
                host, "POST", "/accounts/login/", {"username": "13800000099", "password": "x"}
            )
            if "次数过多" in text:
                print(f"ok: failed logins on both hosts share one counter (slowed after {attempt} attempts)")
                break
        else:
            raise AssertionError("ten failed logins across two hosts were never slowed down")
    finally:
        for host in hosts:
            host.terminate()
            host.wait(10)
    print("== Two hosts share sessions, cache and the login throttle")


if __name__ == "__main__":
    main()
