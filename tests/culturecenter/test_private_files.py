"""Private uploads: kept outside the public media folder, under names nobody can guess,
and served only to those who may see them."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import Client
from django.utils import timezone

from activities.models import Attachment
from culturecenter.lib.move_to_private import move_files
from lending.models import Campaign, CheckIn
from tests.conftest import make_event, make_villager

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkin(villager):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="now", title="冬日共读", starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=9), rules="读"
    )
    checkin = CheckIn.objects.create(
        campaign=campaign,
        member=villager,
        day=today,
        book_title="活着",
        reflection="读了很久很久，很感动。" * 3,
        share=True,
    )
    checkin.photo.save("王建华家门口.jpg", ContentFile(b"\xff\xd8 a photo taken at home"))
    return checkin


def test_a_reading_photo_is_stored_outside_the_public_folder_under_a_random_name(checkin, settings):
    assert re.fullmatch(r"checkins/[0-9a-f]{32}\.jpg", checkin.photo.name)
    assert storages["private"].exists(checkin.photo.name)
    assert not default_storage.exists(checkin.photo.name)
    assert not str(storages["private"].path(checkin.photo.name)).startswith(str(settings.MEDIA_ROOT))


def test_a_photo_awaiting_moderation_is_hidden_from_strangers_and_shown_to_the_household(checkin, villager_client):
    url = f"/library/checkins/{checkin.pk}/photo/"
    assert Client().get(url).status_code == 404
    stranger = Client()
    stranger.force_login(make_villager(name="李秀兰").user)
    assert stranger.get(url).status_code == 404
    response = villager_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\xff\xd8 a photo taken at home"
    assert response["Cache-Control"] == "private, no-store"


def test_a_photo_on_the_public_wall_is_shown_to_everyone(checkin):
    checkin.moderation = CheckIn.Moderation.APPROVED
    checkin.save()
    assert Client().get(f"/library/checkins/{checkin.pk}/photo/").status_code == 200
    page = Client().get(f"/library/campaigns/{checkin.campaign.slug}/").content.decode()
    assert f'src="/library/checkins/{checkin.pk}/photo/"' in page and "/media/" not in page


def test_archived_minutes_are_for_staff_only_and_downloaded_with_a_readable_name(staff_user, villager_client):
    staff_client = Client()
    staff_client.force_login(staff_user)
    event = make_event(title="剪纸讲座", starts_in=-timedelta(days=1))
    attachment = Attachment(event=event, kind=Attachment.Kind.MINUTES)
    attachment.file.save("会议记录 第3次.pdf", ContentFile(b"%PDF-1.4 minutes"))
    assert re.fullmatch(r"archive/[0-9a-f]{32}\.pdf", attachment.file.name)
    url = f"/activities/archive/files/{attachment.pk}/"
    assert villager_client.get(url).status_code == 403
    response = staff_client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%E5%89%AA%E7%BA%B8" in response["Content-Disposition"]  # 剪纸…
    body = staff_client.get("/activities/archive/", {"month": timezone.localtime(event.starts_at).strftime("%Y-%m")})
    assert url in body.content.decode()


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(checkin, villager_client, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected-media/"
    response = villager_client.get(f"/library/checkins/{checkin.pk}/photo/")
    assert response["X-Accel-Redirect"] == f"/protected-media/{checkin.photo.name}" and response.content == b""


def test_files_uploaded_before_are_moved_to_private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    old_name = default_storage.save(f"archive/2026/11/{event.pk}/计划.pdf", ContentFile(b"%PDF plan"))
    attachment = Attachment.objects.create(event=event, kind=Attachment.Kind.PLAN, file=old_name)
    move_files(Attachment, "file", "archive")
    attachment.refresh_from_db()
    assert not default_storage.exists(old_name)
    assert re.fullmatch(r"archive/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert storages["private"].open(attachment.file.name).read() == b"%PDF plan"
