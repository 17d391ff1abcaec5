from django.core.management.base import BaseCommand

from activities import services


class Command(BaseCommand):
    help = (
        "Ask volunteers with a place in a shift starting within 48 hours to confirm, and record the no-shows "
        "of shifts that ended over an hour ago. Run hourly; safe to repeat."
    )

    def handle(self, *args, **options):
        sent = services.shift_confirmations_send()
        missed = services.shift_no_shows_record_ended()
        self.stdout.write(f"Asked {sent} volunteers to confirm; {missed} no-shows recorded.")
