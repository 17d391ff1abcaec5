from django.core.management.base import BaseCommand

from feedback import services


class Command(BaseCommand):
    help = "Tell those who posted or supported a need when an event linked to it is published. Run from cron."

    def handle(self, *args, **options):
        self.stdout.write(f"Told {services.need_supporters_notify()} people.")
