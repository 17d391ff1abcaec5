"""One dated archive holds everything the center cannot lose: the database, the uploaded
media and a manifest (row counts per table, a checksum per file) that a restore checks.

The SECRET_KEY is not in the archive: tickets are signed with it, so keep it off-site next
to the archives (README, "Backup and restore")."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
PRIVATE_PREFIX = "@private/"  # private uploads, in the archive's media/ folder
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model, as the manifest records them."""
    tables = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in tables and not model._meta.proxy:
            counts[table] = model._default_manager.using(connection.alias).count()
    return dict(sorted(counts.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, [*args, "-d", db["NAME"]]


def _dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_FILE)
        with target:
            connection.connection.backup(target)
        target.close()
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        env, args = _postgres_env_and_args()
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "-f", folder / POSTGRES_FILE, *args], env=env, check=True
        )
        return POSTGRES_FILE
    raise BackupError(f"No backup for the {connection.vendor} database.")


def backup_create(*, destination: Path) -> Path:
    """Write `qingshui-backup-<date>.tar.gz` into `destination` and return its path."""
    destination.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive_path = destination / f"qingshui-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        database_file = _dump_database(folder)
        files = {name: path for name, path in _uploaded_files()}
        manifest = {
            "created": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database_file": database_file,
            "database_sha256": _sha256(folder / database_file),
            "rows": row_counts(),
            "media": {name: _sha256(path) for name, path in files.items()},
        }
        with tarfile.open(archive_path, "w:gz") as archive:
            archive.add(folder / database_file, arcname=database_file)
            for name, path in files.items():
                archive.add(path, arcname=f"media/{name}")
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return archive_path


def _media_roots() -> dict[str, Path]:
    """Where uploads live: public media, and the private uploads kept apart from it."""
    return {"": Path(settings.MEDIA_ROOT), PRIVATE_PREFIX: Path(storages["private"].location)}


def _uploaded_files():
    """(name in the archive, path) of every uploaded file, public and private."""
    for prefix, root in _media_roots().items():
        if root.exists():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                yield prefix + str(path.relative_to(root)), path


def _restore_path(name: str) -> Path:
    roots = _media_roots()
    if name.startswith(PRIVATE_PREFIX):
        return roots[PRIVATE_PREFIX] / name.removeprefix(PRIVATE_PREFIX)
    return roots[""] / name


def database_is_empty() -> bool:
    """No migration has run here: nothing to overwrite."""
    return "django_migrations" not in connection.introspection.table_names()


def backup_restore(*, archive_path: Path, force: bool = False) -> dict:
    """Restore an archive into this database and media folder, check it against its
    manifest and return the manifest. Refuses a database that has tables unless `force`."""
    if not force and not database_is_empty():
        raise BackupError("The database is not empty; restore into an empty one, or pass --force to overwrite it.")
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(scratch, filter="data")
        folder = Path(scratch)
        manifest = json.loads((folder / MANIFEST).read_text())
        database_file = folder / manifest["database_file"]
        if _sha256(database_file) != manifest["database_sha256"]:
            raise BackupError("The database file does not match its checksum: the archive is damaged.")
        for name, checksum in manifest["media"].items():
            if _sha256(folder / "media" / name) != checksum:
                raise BackupError(f"The media file {name} does not match its checksum: the archive is damaged.")
        _load_database(manifest["engine"], database_file)
        for name in manifest["media"]:
            target = _restore_path(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / "media" / name, target)
    restored = row_counts()
    differing = {
        table: (count, restored.get(table)) for table, count in manifest["rows"].items() if restored.get(table) != count
    }
    if differing:
        raise BackupError(f"Row counts differ after the restore (expected, found): {differing}")
    return manifest


def _load_database(engine: str, database_file: Path) -> None:
    if engine != connection.vendor:
        raise BackupError(f"The archive holds a {engine} database; this site runs on {connection.vendor}.")
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(database_file)
        with source:
            source.backup(connection.connection)
        source.close()
        return
    env, args = _postgres_env_and_args()
    connection.close()
    subprocess.run(
        ["pg_restore", "--no-owner", "--clean", "--if-exists", "--exit-on-error", *args, database_file],
        env=env,
        check=True,
    )
