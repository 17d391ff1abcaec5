"""Time the desk in Chromium (bench/desk_browser.py) and add the figures to bench/results.json."""

import importlib.util
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench import desk_browser, load

RESULTS = Path(__file__).resolve().parents[2] / "results.json"


class Command(BaseCommand):
    help = "Scan a stack of books at the desk in Chromium, with and without desk.js; Enter → answer shown."

    def add_arguments(self, parser):
        parser.add_argument("--books", type=int, default=20, help="Books lent and returned per run (default 20).")
        parser.add_argument(
            "--url",
            help="A server already running on this database (e.g. runserver on the demo database); "
            "by default gunicorn serves the scale database with production settings.",
        )
        parser.add_argument("--workers", type=int, default=1, help="gunicorn workers (one librarian: 1).")
        parser.add_argument("--output", default=str(RESULTS))

    def handle(self, *args, books, url, workers, output, **options):
        if not Path(desk_browser.CHROMIUM).exists() or importlib.util.find_spec("playwright") is None:
            self.stderr.write(
                f"Playwright (requirements-test.txt) or {desk_browser.CHROMIUM} is missing: the desk's browser"
                " benchmark is skipped."
            )
            return
        if url is None and not settings.SCALE_DATABASE:
            raise CommandError("Set DJANGO_SCALE_DATABASE=1 (gunicorn on the scale database) or give --url.")
        if url:
            results = desk_browser.run(url.rstrip("/"), books)
            results["server"] = url
        else:
            with load.gunicorn(workers) as base:
                results = desk_browser.run(base, books)
            results["server"] = f"gunicorn, {workers} worker(s), production settings"
        results |= {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "database": f"{connection.vendor} {Path(str(settings.DATABASES['default']['NAME'])).name}",
            "load_average": [round(load, 1) for load in os.getloadavg()],  # other work on the machine
        }
        self._print(results)
        path = Path(output)
        everything = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        everything["desk_browser"] = results
        path.write_text(json.dumps(everything, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"\nAdded to {output}")

    def _print(self, results):
        self.stdout.write(
            f"\nThe desk in Chromium: {results['books']} books lent and returned, Enter → answer shown"
            f"\n{'scan':<26}{'scans':>7}{'median ms':>11}{'p95 ms':>9}{'goal ms':>9}"
        )
        for way in ("background", "full page"):
            for mode, row in results[way].items():
                goal = f"< {results['goal_ms']}" if way == "background" else ""
                over = way == "background" and row["median_ms"] >= results["goal_ms"]
                mark = self.style.ERROR("  over goal") if over else ""
                name = f"{way}, {mode}"
                self.stdout.write(
                    f"{name:<26}{row['scans']:>7}{row['median_ms']:>11.1f}{row['p95_ms']:>9.1f}{goal:>9}{mark}"
                )
        if results["unexpected_answers"]:
            self.stderr.write("Scans that did not succeed: " + "; ".join(results["unexpected_answers"]))
