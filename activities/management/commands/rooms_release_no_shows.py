from django.core.management.base import BaseCommand

from activities import services


class Command(BaseCommand):
    help = "Release today's room bookings nobody came for (not marked 已到 within the grace time) and tell the bookers."

    def handle(self, *args, **options):
        released = services.no_shows_release()
        self.stdout.write(f"{released} bookings released")
