"""Throughput under concurrent load: the site served by gunicorn with production
settings, hammered by wrk, next to a minimal view on the same server (the ceiling)."""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workers: int):
    """Serve the benchmark database with production settings; yields the base URL."""
    port = _free_port()
    env = os.environ | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # wrk speaks plain HTTP on loopback; a proxy does TLS in production
        "DJANGO_SCALE_DATABASE": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "culturecenter.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(url: str, server: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting; see its messages above.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s.")


def run_wrk(url: str, *, seconds: int, connections: int, threads: int = 2, cookie: str = "") -> dict:
    """Requests per second and latency percentiles (ms) of one wrk run; `cookie` is sent
    with every request (a session cookie: the page as a logged-in villager sees it)."""
    headers = {"Cookie": cookie} if cookie else {}
    # Warm this page's cache and every worker's code path.
    urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30).read()
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    command += [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = {
        f"p{percent}_ms": float(value) * UNITS[unit]
        for percent, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        **latency,
        "errors": int(errors.group(1)) if errors else 0,
    }
