"""Backups: one archive with the database, the media and a manifest that a restore checks.

Transactional: pg_dump runs in its own process and sees only committed rows."""

import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from culturecenter.lib.backup import MANIFEST
from culturecenter.models import Member
from tests.conftest import make_villager


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "posters").mkdir(parents=True)
    (settings.MEDIA_ROOT / "posters" / "kite.jpg").write_bytes(b"\xff\xd8 a poster")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "private" / "archive").mkdir(parents=True)
    (tmp_path / "private" / "archive" / "3f2a.pdf").write_bytes(b"%PDF minutes")
    return settings.MEDIA_ROOT


def _backup(tmp_path, capsys) -> str:
    call_command("backup", output=str(tmp_path / "backups"))
    return capsys.readouterr().out.strip()


@pytest.mark.django_db(transaction=True)
def test_the_archive_holds_database_media_and_a_manifest_of_counts_and_checksums(tmp_path, media, capsys):
    make_villager(name="李秀英")
    archive_path = _backup(tmp_path, capsys)
    with tarfile.open(archive_path) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile(MANIFEST))
    assert "media/posters/kite.jpg" in names and manifest["database_file"] in names
    assert manifest["rows"]["culturecenter_member"] == Member.objects.count() == 1
    assert set(manifest["media"]) == {"posters/kite.jpg", "@private/archive/3f2a.pdf"}


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path, media, capsys):
    archive_path = _backup(tmp_path, capsys)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", archive_path)


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_what_was_lost_and_checks_it(tmp_path, media, capsys):
    make_villager(name="李秀英")
    archive_path = _backup(tmp_path, capsys)
    Member.objects.all().delete()
    (media / "posters" / "kite.jpg").unlink()
    (tmp_path / "private" / "archive" / "3f2a.pdf").unlink()
    call_command("restore", archive_path, force=True)
    assert "all matching the manifest" in capsys.readouterr().out
    assert Member.objects.get().name == "李秀英"
    assert (media / "posters" / "kite.jpg").read_bytes() == b"\xff\xd8 a poster"
    assert (tmp_path / "private" / "archive" / "3f2a.pdf").read_bytes() == b"%PDF minutes"


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused(tmp_path, media, capsys):
    archive_path = _backup(tmp_path, capsys)
    with tarfile.open(archive_path) as archive:
        archive.extractall(tmp_path / "x", filter="data")
    (tmp_path / "x" / "media" / "posters" / "kite.jpg").write_bytes(b"changed")
    with tarfile.open(tmp_path / "damaged.tar.gz", "w:gz") as damaged:
        for path in sorted((tmp_path / "x").rglob("*")):
            if path.is_file():
                damaged.add(path, arcname=str(path.relative_to(tmp_path / "x")))
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "damaged.tar.gz"), force=True)
