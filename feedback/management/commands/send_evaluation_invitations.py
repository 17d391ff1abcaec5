from django.core.management.base import BaseCommand

from feedback import services


class Command(BaseCommand):
    help = "Invite everyone checked in at an event that ended in the last week to evaluate it (once). Run from cron."

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {services.evaluation_invitations_send()} invitations.")
