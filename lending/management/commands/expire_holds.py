from django.core.management.base import BaseCommand

from lending import services


class Command(BaseCommand):
    help = "Lapse holds not collected in time and pass their copies to the next reader. Run daily from cron."

    def handle(self, *args, **options):
        self.stdout.write(f"Expired {services.holds_expire()} holds.")
