from pathlib import Path

from django.core.management.base import BaseCommand

from culturecenter.lib.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded media into one dated archive with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="folder for the archive (default: ./backups)")

    def handle(self, *args, output, **options):
        archive = backup_create(destination=Path(output))
        self.stdout.write(str(archive))
