from django.core.management.base import BaseCommand

from activities import services


class Command(BaseCommand):
    help = "Remind everyone with a place at an event that starts tomorrow. Run daily from cron; safe to repeat."

    def handle(self, *args, **options):
        sent = services.reminders_send()
        self.stdout.write(f"Sent {sent} reminders.")
