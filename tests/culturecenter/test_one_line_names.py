"""Names and titles are one line of visible text, and no name can break an email."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from culturecenter import roles
from culturecenter.models import Member
from lending.models import Book
from tests.conftest import make_event, make_staff, make_villager, sign_up
from tests.culturecenter.test_registration import URL, form_data

pytestmark = pytest.mark.django_db

REFUSED = "请只填一行普通文字"


@pytest.mark.parametrize(
    "name",
    ["张\n秀英", "张\r\n秀英", "张\t秀英", "张\u2028秀英", "张\u202e秀英", "张\u200b秀英", "张\x1b秀英"],
)
def test_a_name_with_a_line_break_or_an_invisible_character_is_refused_at_registration(client, name):
    response = client.post(URL, form_data(name=name))

    assert response.status_code == 200
    assert not Member.objects.filter(mobile="13712345678").exists()
    assert REFUSED in response.content.decode()


def test_a_book_title_with_a_line_break_is_refused_in_the_admin(client):
    client.force_login(make_staff("librarian", roles.LIBRARIAN))

    response = client.post("/admin/lending/book/add/", {"title": "平凡的\n世界", "author": "路遥"})

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Book.objects.exists()


def test_a_member_whose_name_holds_a_line_break_still_gets_the_promotion_email(
    client, villager, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    mine = sign_up(event, villager)
    waiting = make_villager(name="李秀兰")
    # Typed before names were checked: straight into the database.
    Member.objects.filter(pk=waiting.pk).update(name="李秀兰\nBcc: everyone@example.com", email="lxl@example.com")
    sign_up(event, waiting, status="waiting")
    client.force_login(villager.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/activities/registrations/{mine.pk}/cancel/")

    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == ["lxl@example.com"]
    assert "\n" not in email.subject and "好消息" in email.subject
    assert email.message()["Bcc"] is None


def test_an_email_subject_is_one_line_whatever_it_is_given():
    from culturecenter.lib.text import email_subject

    assert email_subject("“书法\r\n课”\u2028已取消\t  原因：下雨") == "[清水文化中心] “书法 课” 已取消 原因：下雨"


def test_the_registrant_list_still_downloads_as_xlsx_when_an_old_name_holds_a_control_character(staff_client, villager):
    event = make_event()
    sign_up(event, villager)
    Member.objects.filter(pk=villager.pk).update(name="王\x0b建华")

    response = staff_client.get(reverse("activities:registrants_export", kwargs={"pk": event.pk, "fmt": "xlsx"}))

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any("王建华" in row for row in rows)


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_staff_name_with_a_line_break_is_refused_in_the_admins_user_form(field):
    from django.contrib.auth.forms import UserChangeForm

    staff = make_staff("front-desk")
    data = {"username": "front-desk", "date_joined": "2026-01-01 08:00", field: "赵\n前台"}

    class Form(UserChangeForm):
        class Meta(UserChangeForm.Meta):
            model = type(staff)
            fields = ["username", "first_name", "last_name", "date_joined"]

    form = Form(data, instance=staff)

    assert not form.is_valid()
    assert REFUSED in " ".join(form.errors[field])
