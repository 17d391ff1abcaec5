import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image

from activities.models import Event
from culturecenter.lib.images import clean_image
from tests.conftest import make_event

GPS_IFD = 0x8825


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, "green")
    exif = Image.Exif()
    exif[0x010F] = "VillagePhone"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (39.0, 57.0, 0.0), 3: "E", 4: (115.0, 30.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(data: bytes, name="poster.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_photo_is_reencoded_without_exif_or_gps():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    cleaned = clean_image(upload(original))

    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert not image.getexif()
    assert b"VillagePhone" not in cleaned.read()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a picture", "无法识别该图片"),
        (b"GIF89a" + b"\x00" * 100, "无法识别该图片"),
        (b"<svg onload=alert(1)>", "无法识别该图片"),
    ],
)
def test_files_that_are_not_pictures_are_refused(data, message):
    with pytest.raises(ValidationError, match=message):
        clean_image(upload(data))


def test_a_gif_is_refused_by_format(db):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(ValidationError, match="只能上传 JPEG、PNG 或 WebP"):
        clean_image(upload(buffer.getvalue(), "x.gif"))


def test_too_large_and_too_many_pixels_are_refused(settings):
    settings.UPLOAD_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="图片像素过多"):
        clean_image(upload(jpeg_with_gps(size=(100, 100))))
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="图片太大"):
        clean_image(upload(jpeg_with_gps()))


@pytest.mark.django_db
def test_admin_poster_upload_makes_a_thumbnail_and_refuses_bad_files(client, reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = make_event(status="draft", author=reviewer)
    client.force_login(reviewer)
    local = event.starts_at.astimezone()
    form = {
        "title": event.title,
        "category": event.category,
        "description": event.description,
        "audiences": list(event.audiences.values_list("pk", flat=True)),
        "starts_at_0": local.strftime("%Y-%m-%d"),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "ends_at_0": event.ends_at.astimezone().strftime("%Y-%m-%d"),
        "ends_at_1": event.ends_at.astimezone().strftime("%H:%M:%S"),
        "venue": event.venue_id,
        "signup_required": "on",
        "capacity": 10,
        "review_steps-TOTAL_FORMS": 0,
        "review_steps-INITIAL_FORMS": 0,
    }
    bad = client.post(f"/admin/activities/event/{event.pk}/change/", {**form, "poster": upload(b"not an image")})
    body = bad.content.decode()
    assert "无法识别该图片，请上传 JPEG、PNG 或 WebP 格式的图片。" in body
    assert not Event.objects.get(pk=event.pk).poster

    good = client.post(f"/admin/activities/event/{event.pk}/change/", {**form, "poster": upload(jpeg_with_gps())})
    assert good.status_code == 302
    event = Event.objects.get(pk=event.pk)
    assert event.poster and event.poster_thumbnail
    assert b"VillagePhone" not in event.poster.read()


def test_every_uploaded_file_field_goes_through_a_checker():
    """A new ImageField or FileField fails here until its uploads are cleaned or checked."""
    from django.apps import apps

    from activities.models import Attachment, HostedFile
    from culturecenter.lib.images import CleanImageField

    # Checked by its one form (AttachmentForm, HostedFileForm: photos cleaned, documents by type and size);
    # no admin edits it.
    checked_by_their_form = {Attachment._meta.get_field("file"), HostedFile._meta.get_field("file")}
    unchecked = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
        and field.editable
        and not isinstance(field, CleanImageField)
        and field not in checked_by_their_form
    ]
    assert unchecked == []
    from django.contrib import admin

    assert Attachment not in admin.site._registry
    assert HostedFile not in admin.site._registry


def test_a_campaign_cover_uploaded_in_the_admin_is_cleaned(client, db, settings, tmp_path):
    from datetime import date

    from lending.models import Campaign
    from tests.conftest import make_staff

    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_staff())
    form = {
        "slug": "spring",
        "title": "春日共读",
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-31",
        "goal_days": "21",
        "daily_minutes_cap": "120",
        "backdate_days": "3",
        "rules": "每天读书",
    }
    bomb = upload(jpeg_with_gps(size=(100, 100)))
    settings.UPLOAD_MAX_PIXELS = 5000
    refused = client.post("/admin/lending/campaign/add/", {**form, "cover": bomb})
    assert refused.status_code == 200 and "像素" in refused.content.decode()
    settings.UPLOAD_MAX_PIXELS = 40_000_000
    client.post("/admin/lending/campaign/add/", {**form, "cover": upload(jpeg_with_gps() + b"appended secret")})
    campaign = Campaign.objects.get(slug="spring")
    assert campaign.starts_on == date(2027, 3, 1)
    stored = campaign.cover.read()
    assert b"appended secret" not in stored and not Image.open(io.BytesIO(stored)).getexif()
