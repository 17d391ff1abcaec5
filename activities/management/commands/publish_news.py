from django.core.management.base import BaseCommand

from activities.services import news_publish_due


class Command(BaseCommand):
    help = "Publish approved news whose time has come (run every few minutes from cron)."

    def handle(self, *args, **options):
        published, reopened = news_publish_due()
        self.stdout.write(f"published {published}, back to review {reopened}")
