from django.core.management.base import BaseCommand

from feedback.briefings import services


class Command(BaseCommand):
    help = "Move needs whose linked events were all held and evaluated to 已评价, and tell their supporters. Run daily."

    def handle(self, *args, **options):
        self.stdout.write(f"Moved {services.needs_follow_events()} needs to evaluated.")
