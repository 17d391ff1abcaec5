"""Uploaded pictures (posters, photos): accept only real JPEG, PNG or WebP within
size and pixel limits, re-encode them, and drop EXIF so a photo taken at home
never publishes its GPS position."""

import io
import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (480, 480)


def clean_image(upload) -> ContentFile:
    """The upload re-encoded without metadata, or a ValidationError saying what is wrong."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The picture is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 2**20, 1), "limit": max_bytes // 2**20}
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; a bomb is refused either way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(upload)
        with probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ALLOWED_FORMATS:
                raise ValidationError(_("Only JPEG, PNG or WebP pictures can be uploaded."))
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("The picture has too many pixels (%(width)s×%(height)s).") % {"width": width, "height": height}
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            data = _encode(image, kind)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(_("The picture has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("This file is not a picture we can read. Please upload a JPEG, PNG or WebP.")) from None
    name = Path(getattr(upload, "name", "picture")).stem[:60] or "picture"
    return ContentFile(data, name=f"{name}.{ALLOWED_FORMATS[kind]}")


def thumbnail(picture: ContentFile) -> ContentFile:
    """A small JPEG for lists, made from an already cleaned picture."""
    picture.seek(0)
    with Image.open(picture) as image:
        image.thumbnail(THUMBNAIL_SIZE)
        data = _encode(image, "JPEG")
    return ContentFile(data, name=f"{Path(picture.name).stem}-thumb.jpg")


def _encode(image: Image.Image, kind: str) -> bytes:
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if kind != "JPEG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    # A fresh save without exif=… writes no metadata.
    image.save(out, format=kind, quality=85, optimize=kind != "WEBP")
    return out.getvalue()


class CleanedImageFormField(forms.FileField):
    """A picture field that hands on only the cleaned picture (`clean_image`)."""

    def to_python(self, data):
        upload = super().to_python(data)
        return clean_image(upload) if upload else upload


class CleanImageField(models.ImageField):
    """An ImageField whose every form, the admin's included, cleans the upload: no picture
    reaches storage with its EXIF (GPS), appended bytes, or too many pixels."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanedImageFormField, **kwargs})
