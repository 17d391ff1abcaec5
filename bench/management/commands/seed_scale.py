"""Fill the separate benchmark database with a district's worth of data."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import scale
from culturecenter.models import Member


class Command(BaseCommand):
    help = (
        "Fill the benchmark database (DJANGO_SCALE_DATABASE=1) with district-scale data: 100,000 members, "
        "20,000 events, 500,000 registrations, 50,000 books, 1,000,000 loans and check-ins, 100,000 answers; "
        "the center's room calendar, teams, courses, volunteers, news and a prize quiz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="Scale every count, e.g. 0.01 for a quick try.")
        parser.add_argument("--reset", action="store_true", help="Empty the benchmark database first.")

    def handle(self, *args, factor, reset, **options):
        if not settings.SCALE_DATABASE:
            raise CommandError("Set DJANGO_SCALE_DATABASE=1: district-scale data never goes into the real database.")
        if not 0 < factor <= 10:
            raise CommandError("--factor must be above 0 and at most 10.")
        started = time.monotonic()
        create_database(drop_first=reset)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if Member.objects.exists():
            self.stdout.write("The benchmark database is already filled (use --reset to fill it again).")
            return
        scale.load(scale.Scale(factor=factor))
        self.stdout.write(
            self.style.SUCCESS(
                f"Filled {connection.vendor} database {connection.settings_dict['NAME']} "
                f"in {time.monotonic() - started:.0f} s."
            )
        )


def create_database(*, drop_first: bool) -> None:
    """Make the benchmark database if it is missing: `<name>_scale` on the PostgreSQL
    server, or the SQLite file (which SQLite makes by itself)."""
    name = connection.settings_dict["NAME"]
    if drop_first:
        connection.close()  # let go of the database about to be dropped
    if connection.vendor == "sqlite":
        if drop_first:
            Path(name).unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:  # Django's own way in, as its test runner does
        if drop_first:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
