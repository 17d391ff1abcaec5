"""“Download my data”: everything kept about me and the household I manage."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from culturecenter.models import Notice
from feedback.models import Answer, Choice, Evaluation, Need, NeedSupport, Question, Questionnaire, Response
from lending.models import Campaign, CheckIn, Enrolment, Hold
from tests.conftest import lend, make_book, make_dependant, make_event, sign_up

pytestmark = pytest.mark.django_db


def household_life(villager, *, rows=1):
    """A household that has used every part of the portal, `rows` times over."""
    child = make_dependant(villager, name="王小雨")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug=f"c{villager.pk}", title="书香伴我行", starts_on=today - timedelta(days=30), ends_on=today, rules="读"
    )
    questionnaire = Questionnaire.objects.create(
        title="文化需求调查", opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=1)
    )
    question = Question.objects.create(questionnaire=questionnaire, text="想参加什么活动", kind="multiple")
    kite = Choice.objects.create(question=question, text="风筝制作")
    Enrolment.objects.create(campaign=campaign, member=child)
    for n in range(rows):
        event = make_event(title=f"剪纸体验{n}", starts_in=-timedelta(days=n + 1))
        sign_up(event, child, checked_in_at=event.starts_at)
        sign_up(make_event(title=f"亲子风筝{n}"), villager)
        lend(make_book(f"活着{n}", author="余华").copies.get(), child)
        Hold.objects.create(book=make_book(f"红楼梦{n}"), member=villager)
        CheckIn.objects.create(
            campaign=campaign,
            member=child,
            day=today - timedelta(days=n),
            book_title=f"活着{n}",
            minutes=30,
            reflection="福贵的一生让我明白要珍惜家人。",
        )
        Evaluation.objects.create(event=event, member=child, rating=5, liked="老师讲得很细")
        need = Need.objects.create(posted_by=villager, category="heritage", village="xidamo", text=f"想学书法{n}")
        NeedSupport.objects.create(need=need, member=child)
        Notice.objects.create(member=villager, text=f"你已报名亲子风筝{n}")
    response = Response.objects.create(questionnaire=questionnaire, member=villager)
    Answer.objects.create(response=response, question=question).choices.add(kite)
    return child


def download(client) -> tuple[dict, "Workbook"]:  # noqa: F821
    response = client.get("/accounts/me/export/")
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    data = json.loads(archive.read(next(name for name in names if name.endswith(".json"))))
    workbook = load_workbook(io.BytesIO(archive.read(next(name for name in names if name.endswith(".xlsx")))))
    return data, workbook


def test_the_downloaded_zip_holds_sign_ups_loans_holds_reading_answers_needs_and_notices(villager_client, villager):
    household_life(villager)

    data, workbook = download(villager_client)

    assert [row["name"] for row in data["people"]["rows"]] == ["王建华", "王小雨"]
    assert {row["event"] for row in data["registrations"]["rows"]} == {"剪纸体验0", "亲子风筝0"}
    assert data["loans"]["rows"][0] == {**data["loans"]["rows"][0], "member": "王小雨", "title": "活着0"}
    assert data["holds"]["rows"][0]["title"] == "红楼梦0"
    assert data["campaign_enrolments"]["rows"][0]["campaign"] == "书香伴我行"
    assert data["campaign_checkins"]["rows"][0]["reflection"] == "福贵的一生让我明白要珍惜家人。"
    assert data["questionnaire_answers"]["rows"][0]["answer"] == "风筝制作"
    assert data["evaluations"]["rows"][0]["liked"] == "老师讲得很细"
    assert data["needs"]["rows"][0]["text"] == "想学书法0"
    assert data["need_supports"]["rows"][0]["need"] == "想学书法0"
    assert data["notices"]["rows"][0]["text"] == "你已报名亲子风筝0"
    # The spreadsheet has one sheet per section, with Chinese headings a villager can read.
    assert "借阅" in " ".join(workbook.sheetnames)
    loans = next(sheet for sheet in workbook.worksheets if sheet.title == data["loans"]["title"])
    rows = list(loans.iter_rows(values_only=True))
    assert "活着0" in rows[1] and "王小雨" in rows[1]


def test_my_data_page_shows_every_section_and_nothing_of_another_household(villager_client, villager, other_villager):
    household_life(villager)
    make_dependant(other_villager, name="张子涵")
    sign_up(make_event(title="别人的活动"), other_villager)

    body = villager_client.get("/accounts/me/data/").content.decode()

    for text in (
        "剪纸体验0",
        "活着0",
        "红楼梦0",
        "福贵的一生",
        "风筝制作",
        "老师讲得很细",
        "想学书法0",
        "你已报名亲子风筝0",
    ):
        assert text in body
    assert "张子涵" not in body and "别人的活动" not in body and other_villager.mobile not in body
    data, _workbook = download(villager_client)
    assert "张子涵" not in json.dumps(data, ensure_ascii=False)


def test_the_export_runs_as_many_queries_for_a_busy_household_as_for_a_quiet_one(
    client, villager, other_villager, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    household_life(villager, rows=1)
    household_life(other_villager, rows=6)

    def queries_for(member):
        client.force_login(member.user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accounts/me/data/").status_code == 200
        return len(captured)

    # The opening hours in the footer and each header's unread notices are kept for a while.
    queries_for(villager), queries_for(other_villager)
    assert queries_for(other_villager) == queries_for(villager) <= 30  # about one per kind of record


def test_an_anonymous_visitor_is_sent_to_log_in_for_my_data(client):
    for url in ("/accounts/me/data/", "/accounts/me/export/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
