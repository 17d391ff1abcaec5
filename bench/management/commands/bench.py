"""Measure the key pages on the district-scale database: queries, server time, and
throughput under load next to a minimal view. Prints a table, writes bench/results.json."""

import json
import os
import platform
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from activities.models import Article, Booking, Event, Occupancy, Registration, Shift, TeamMembership, Volunteer
from bench import load, pages, scale
from culturecenter.models import Member
from feedback.models import Answer, Response
from lending.models import Book, CheckIn, Copy, Loan

RESULTS = Path(__file__).resolve().parents[2] / "results.json"
# (page, path, logged in as the bench villager); a logged-in page's goal is a share of the ceiling.
LOADED_PAGES = [
    ("minimal view (ceiling)", "/bench/ceiling/", False),
    ("home", "/", False),
    ("event list", "/activities/", False),
    ("event list, logged in", "/activities/", True),
    ("event detail, logged in", None, True),  # the busiest upcoming event
    ("catalogue search", f"/library/?q={quote(scale.COMMON_WORD)}", False),
]
LOGGED_IN_GOAL_SHARE = 0.10


class Command(BaseCommand):
    help = "Benchmark the key pages on the district-scale database (fill it first with seed_scale)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn + wrk load test.")
        parser.add_argument("--seconds", type=int, default=10, help="Length of each wrk run.")
        parser.add_argument("--connections", type=int, default=16, help="Concurrent wrk connections.")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 3)))
        parser.add_argument("--output", default=str(RESULTS))

    def handle(self, *args, repeat, no_load, seconds, connections, workers, output, **options):
        if not settings.SCALE_DATABASE:
            raise CommandError("Set DJANGO_SCALE_DATABASE=1 and fill the database with seed_scale first.")
        if not Member.objects.filter(mobile=scale.BENCH_VILLAGER).exists():
            raise CommandError("The benchmark database is empty: run `python manage.py seed_scale` first.")
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: times include Django's debug bookkeeping (make bench turns it off).")
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            timings = [pages.measure(case, repeat) for case in pages.cases()]
        self._print_pages(timings)
        throughput = [] if no_load else self._load(seconds, connections, workers)
        results = {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
            "database": f"{connection.vendor} {connection.Database.__name__} {_server_version()}",
            "rows": scale_counts(),
            "repeat": repeat,
            "pages": [{k: v for k, v in vars(t).items() if k != "samples"} | {"ok": t.ok} for t in timings],
            "load": throughput,
        }
        Path(output).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"\nWritten to {output}")

    def _print_pages(self, timings):
        self.stdout.write(f"\n{'page or action':<34}{'queries':>8}{'median ms':>11}{'p95 ms':>9}{'goal ms':>9}")
        for t in timings:
            mark = "" if t.ok else self.style.ERROR("  over goal")
            self.stdout.write(
                f"{t.name:<34}{t.queries:>8}{t.median_ms:>11.1f}{t.p95_ms:>9.1f}{'< ' + str(t.goal_ms):>9}{mark}"
            )

    def _load(self, seconds, connections, workers):
        if not load.wrk_available():
            self.stderr.write("wrk is not installed (make bench installs it with apt as root): load test skipped.")
            return []
        rows = []
        cookie = pages.session_cookie(scale.BENCH_VILLAGER)
        event_path = pages.busiest_event().get_absolute_url()
        with load.gunicorn(workers) as base:
            for name, path, logged_in in LOADED_PAGES:
                path = path or event_path
                measured = load.run_wrk(
                    base + path, seconds=seconds, connections=connections, cookie=cookie if logged_in else ""
                )
                goal = LOGGED_IN_GOAL_SHARE if logged_in else None
                rows.append({"page": name, "path": path, "logged_in": logged_in, "goal_share": goal} | measured)
        ceiling = rows[0]["requests_per_second"]
        self.stdout.write(
            f"\nUnder load: gunicorn, {workers} workers, wrk {connections} connections × {seconds} s"
            f"\n{'page':<26}{'req/s':>9}{'of ceiling':>12}{'goal':>7}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        )
        for row in rows:
            row["share_of_ceiling"] = round(row["requests_per_second"] / ceiling, 3) if ceiling else None
            goal = row["goal_share"]
            below = goal is not None and (row["share_of_ceiling"] or 0) < goal
            self.stdout.write(
                f"{row['page']:<26}{row['requests_per_second']:>9.0f}{row['share_of_ceiling']:>12.0%}"
                f"{'≥ ' + format(goal, '.0%') if goal else '':>7}"
                f"{row.get('p50_ms', 0):>9.1f}{row.get('p99_ms', 0):>9.1f}{row['errors']:>8}"
                + (self.style.ERROR("  below goal") if below else "")
            )
        return rows


def _server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        return cursor.fetchone()[0]


def scale_counts() -> dict:
    models = {"members": Member, "events": Event, "registrations": Registration, "books": Book, "copies": Copy}
    models |= {"loans": Loan, "checkins": CheckIn, "answers": Answer, "room claims": Occupancy, "bookings": Booking}
    models |= {"team memberships": TeamMembership, "volunteers": Volunteer, "shifts": Shift, "articles": Article}
    counts = {name: model.objects.count() for name, model in models.items()}
    quiz_answers = Answer.objects.filter(question__questionnaire__is_quiz=True)
    counts["answers"] -= quiz_answers.count()  # the questionnaire's, as before the quiz came
    counts["quiz attempts"] = Response.objects.filter(questionnaire__is_quiz=True).count()
    return counts
