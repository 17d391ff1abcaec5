from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culturecenter.lib.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore an archive made by `backup` into an empty database, then check it against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="overwrite a database that is not empty")

    def handle(self, *args, archive, force, **options):
        try:
            manifest = backup_restore(archive_path=Path(archive), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created']}: {rows} rows in {len(manifest['rows'])} tables "
            f"and {len(manifest['media'])} media files, all matching the manifest."
        )
