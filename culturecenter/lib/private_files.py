"""Uploads that are not for everyone: reading-check-in photos awaiting moderation, the
archive's plans and minutes. They live outside MEDIA_ROOT (the proxy never serves them),
under names nobody can guess, and reach a browser only through a view that checks who
asks (`serve_private`). Posters, covers and the like stay in the public media folder."""

import mimetypes
import uuid
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read from the settings on each use (tests move it)."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Private files have no public address; link to the view that serves them.")


def private_storage():
    return storages["private"]


class UnguessableName:
    """upload_to: `<folder>/<random hex>.<ext>` (a class, so migrations can refer to it)."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()[:10]
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def deconstruct(self):
        return ("culturecenter.lib.private_files.UnguessableName", (self.folder,), {})

    def __eq__(self, other):
        return isinstance(other, UnguessableName) and other.folder == self.folder


def serve_private(fieldfile, *, download_name: str | None = None):
    """The file itself, or with DJANGO_PRIVATE_MEDIA_ACCEL set, an `X-Accel-Redirect` that
    lets nginx send it from its `internal` location. Never cached by anyone in between."""
    content_type = mimetypes.guess_type(fieldfile.name)[0] or "application/octet-stream"
    if settings.PRIVATE_MEDIA_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_ACCEL_PREFIX.rstrip("/") + "/" + fieldfile.name
    else:
        response = FileResponse(
            fieldfile.open("rb"),
            content_type=content_type,
            as_attachment=download_name is not None,
            filename=download_name or "",
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
