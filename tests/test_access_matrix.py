"""Every URL pattern of the project, asked for by every persona.

A new page fails this test until it is listed here with the answer each persona
must get, so no page can ship without a decision about who may see it."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from activities import tickets
from activities.models import Article, Attachment, CourseEnrolment, JoinRequest
from culturecenter import roles
from feedback.briefings import services as briefing_services
from feedback.models import Need, Question, Questionnaire
from lending.models import Campaign, CheckIn, Enrolment, Hold
from tests.activities.courses.conftest import add_sessions, join, make_course, make_practice, make_team
from tests.activities.rooms.scene import room_kwargs
from tests.conftest import lend, make_book, make_dependant, make_event, make_staff, make_villager, sign_up

PERSONAS = ("anonymous", "villager", "other", "staff", "reviewer", "librarian")
L = 302  # redirect (to the login page, or onwards)

# name: (anonymous, villager, other villager, staff, reviewer, librarian)
EXPECTED = {
    "home": (200, 200, 200, 200, 200, 200),
    "hours": (200, 200, 200, 200, 200, 200),
    "privacy": (200, 200, 200, 200, 200, 200),
    "healthz": (200, 200, 200, 200, 200, 200),
    "register": (200, L, L, L, L, L),
    "login": (200, L, L, L, L, L),
    "logout": (405, 405, 405, 405, 405, 405),
    "password_change": (L, 200, 200, 200, 200, 200),
    "me": (L, 200, 200, L, L, L),
    "household_add": (L, 200, 200, 404, 404, 404),
    "household_edit": (L, 200, 404, 404, 404, 404),
    "export": (L, 200, 200, 404, 404, 404),
    "my_data": (L, 200, 200, 404, 404, 404),
    "notices": (L, 200, 200, 404, 404, 404),
    "password_reset": (200, 200, 200, 200, 200, 200),
    "delete_account": (L, 200, 200, 404, 404, 404),
    "set_language": (L, L, L, L, L, L),
    "activities:list": (200, 200, 200, 200, 200, 200),
    "activities:archive": (L, 403, 403, 200, 200, 403),
    "activities:attachment_file": (L, 403, 403, 200, 200, 403),
    "activities:today": (L, 403, 403, 200, 200, 403),
    "activities:detail": (200, 200, 200, 200, 200, 200),
    "activities:signup": (L, 405, 405, 405, 405, 405),
    "activities:ics": (200, 200, 200, 200, 200, 200),
    "activities:checkin": (L, 403, 403, 200, 200, 403),
    "activities:registrants": (L, 403, 403, 200, 200, 403),
    "activities:registrants_export": (L, 403, 403, 200, 200, 403),
    "activities:registrant_cancel": (L, 403, 403, 200, 200, 403),
    "activities:work_log": (L, 403, 403, 200, 200, 403),
    "activities:review": (L, 403, 403, 200, 200, 403),
    "activities:cancel": (L, 200, 404, 404, 404, 404),
    "activities:ticket": (L, 200, 404, 200, 200, 404),
    "activities:rooms": (L, 403, 403, 200, 200, 403),
    "activities:room_book": (L, 403, 403, 200, 200, 403),
    "activities:rooms_today": (L, 403, 403, 200, 200, 403),
    "activities:room_requests": (L, 403, 403, 200, 200, 403),
    "activities:room_request": (L, 200, 200, 404, 404, 404),
    "activities:rooms_mine": (L, 200, 200, 404, 404, 404),
    "activities:rooms_mine_cancel": (L, 405, 405, 405, 405, 405),
    "activities:room_booking": (L, 403, 403, 200, 200, 403),
    "activities:room_booking_act": (L, 403, 403, 405, 405, 403),
    "activities:room_record": (L, 403, 403, 200, 200, 403),
    "activities:room_series": (L, 403, 403, 200, 200, 403),
    "activities:room_file": (L, 403, 403, 200, 200, 403),
    "activities:room": (200, 200, 200, 200, 200, 200),
    "lending:catalogue": (200, 200, 200, 200, 200, 200),
    "lending:book": (200, 200, 200, 200, 200, 200),
    "lending:hold": (L, 405, 405, 405, 405, 405),
    "lending:hold_cancel": (L, 200, 404, 404, 404, 404),
    "lending:renew": (L, 200, 404, 404, 404, 404),
    "lending:desk": (L, 403, 403, 403, 403, 200),
    "lending:desk_lists": (L, 403, 403, 403, 403, 200),
    "lending:labels": (L, 403, 403, 403, 403, 200),
    "lending:campaigns": (200, 200, 200, 200, 200, 200),
    "lending:campaign": (200, 200, 200, 200, 200, 200),
    "lending:campaign_enrol": (L, 405, 405, 405, 405, 405),
    "lending:campaign_checkin": (L, 200, 200, 404, 404, 404),
    "lending:certificate": (404, 200, 404, 200, 404, 200),
    "lending:campaign_moderation": (L, 403, 403, 200, 403, 200),
    "lending:campaign_statistics": (L, 403, 403, 200, 403, 200),
    "lending:campaign_export": (L, 403, 403, 200, 403, 200),
    "lending:campaign_withdraw": (L, 200, 404, 404, 404, 404),
    "lending:checkin_photo": (404, 200, 404, 200, 404, 200),  # awaiting moderation: the household and moderators
    "feedback:board": (200, 200, 200, 200, 200, 200),
    "feedback:need_post": (L, 405, 405, 405, 405, 405),
    "feedback:need": (200, 200, 200, 200, 200, 200),
    "feedback:need_support": (L, 405, 405, 405, 405, 405),
    "feedback:need_manage": (L, 403, 403, 405, 405, 403),
    "feedback:survey": (L, 200, 200, 404, 404, 404),
    "feedback:survey_entry": (L, 403, 403, 200, 200, 403),
    "feedback:survey_results": (L, 403, 403, 200, 200, 403),
    "feedback:survey_export": (L, 403, 403, 200, 200, 403),
    "feedback:evaluate": (L, 200, 403, 403, 403, 403),
    "feedback:indicator_targets": (L, 403, 403, 200, 200, 403),
    "feedback:quiz": (L, 200, 200, 404, 404, 404),
    "feedback:quiz_results": (L, 403, 403, 200, 200, 403),
    "feedback:quiz_export": (L, 403, 403, 200, 200, 403),
    "feedback:quiz_draw": (L, 403, 403, 405, 405, 403),
    "feedback:quiz_live": (L, 403, 403, 200, 200, 403),
    "news:list": (200, 200, 200, 200, 200, 200),
    "news:feed": (200, 200, 200, 200, 200, 200),
    "news:article": (200, 200, 200, 200, 200, 200),
    "news:review": (L, 403, 403, 200, 200, 403),
    "feedback:evaluation_slips": (L, 403, 403, 200, 200, 403),
    "feedback:indicators": (L, 403, 403, 200, 200, 403),
    "feedback:briefings": (L, 403, 403, 200, 200, 403),
    "feedback:briefing_new": (L, 403, 403, 200, 200, 403),
    "feedback:briefing": (L, 403, 403, 200, 200, 403),
    "feedback:briefing_write": (L, 403, 403, 405, 405, 403),
    "feedback:briefing_step_add": (L, 403, 403, 405, 405, 403),
    "feedback:briefing_step_remove": (L, 403, 403, 405, 405, 403),
    "feedback:briefing_sign": (L, 403, 403, 403, 405, 403),  # only a reviewer signs off
    "feedback:briefing_revise": (L, 403, 403, 405, 405, 403),
    "feedback:briefing_print": (L, 403, 403, 200, 200, 403),
    "feedback:briefing_pdf": (L, 403, 403, 200, 200, 403),
    "feedback:briefing_xlsx": (L, 403, 403, 200, 200, 403),
    "briefings:list": (200, 200, 200, 200, 200, 200),
    "briefings:detail": (200, 200, 200, 200, 200, 200),
    "activities:volunteer": (L, 200, 200, L, L, 404),  # staff go on to the coordinator's page
    "activities:volunteer_apply": (L, 200, 200, 404, 404, 404),
    "activities:volunteer_consent": (L, 405, 405, 405, 405, 405),
    "activities:volunteer_shift": (L, 200, 404, 200, 200, 404),
    "activities:volunteer_signup": (L, 405, 405, 405, 405, 405),
    "activities:volunteer_no_shows": (L, 403, 403, 405, 405, 403),
    "activities:volunteer_cancel": (L, 200, 404, 200, 200, 404),
    "activities:volunteer_confirm": (L, 200, 404, 200, 200, 404),
    "activities:volunteer_check": (L, 403, 403, 405, 405, 403),
    "activities:volunteer_request_decide": (L, 403, 403, 405, 405, 403),
    "activities:volunteer_hours_report": (L, 200, 404, 404, 404, 404),
    "activities:volunteer_hours_decide": (L, 403, 403, 405, 405, 403),
    "activities:volunteer_hours_correct": (L, 403, 403, 405, 405, 403),
    "activities:volunteer_staff": (L, 403, 403, 200, 200, 403),
    "activities:volunteer_application_decide": (L, 403, 403, 405, 405, 403),
    "activities:volunteer_alert_seen": (L, 403, 403, 405, 405, 403),
    "activities:volunteer_person": (L, 403, 403, 200, 200, 403),
    "activities:volunteer_hours": (L, 403, 403, 200, 200, 403),
    "activities:volunteer_hours_export": (L, 403, 403, 200, 200, 403),
    "activities:volunteer_verify": (200, 200, 200, 200, 200, 200),
    "volunteering:record": (L, 200, 404, 404, 404, 404),
    "volunteering:certificate_issue": (L, 405, 405, 405, 405, 405),
    "volunteering:certificate": (L, 200, 404, 200, 200, 404),
    "activities:teams": (200, 200, 200, 200, 200, 200),
    "activities:team": (200, 200, 200, 200, 200, 200),
    "activities:team_join": (L, 405, 405, 405, 405, 405),
    "activities:team_manage": (L, 200, 404, 200, 200, 404),  # the villager leads the team
    "activities:team_request_decide": (L, 405, 405, 405, 405, 405),
    "activities:practice_attendance": (L, 200, 404, 200, 200, 404),
    "activities:team_register": (L, 403, 403, 200, 200, 403),
    "activities:courses": (200, 200, 200, 200, 200, 200),
    "activities:course": (200, 200, 200, 200, 200, 200),
    "activities:course_enrol": (L, 405, 405, 405, 405, 405),
    "activities:course_manage": (L, 403, 403, 200, 200, 403),
    "activities:course_action": (L, 403, 403, 405, 405, 403),
    "activities:course_desk_enrol": (L, 403, 403, 405, 405, 403),
    "activities:course_register": (L, 403, 403, 200, 200, 403),
    "activities:course_certificate": (L, 200, 404, 200, 200, 404),
    "activities:course_withdraw": (L, 405, 405, 405, 405, 405),
    "activities:course_ticket": (L, 200, 404, 200, 200, 404),
    "activities:session_attendance": (L, 403, 403, 200, 200, 403),
    "activities:session_change": (L, 403, 403, 405, 405, 403),
}


def all_url_names(resolver=None, namespace=""):
    """Every named URL pattern, with the names of its parameters; the admin's own are left to Django."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


@pytest.fixture
def scene(db):
    """Objects of the villager's household, and an outsider who must never reach them."""
    villager = make_villager()
    other = make_villager(name="李秀兰")
    child = make_dependant(villager)
    event = make_event()
    held = make_event(title="已举办", starts_in=-timedelta(days=1))
    registration = sign_up(event, villager)
    sign_up(held, villager, checked_in_at=timezone.now() - timedelta(days=1))
    book = make_book()
    loan = lend(make_book("京西古道").copies.get(), villager)
    hold = Hold.objects.create(book=book, member=villager)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="now",
        title="冬日共读",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=5),
        goal_days=2,
        rules="读书",
    )
    enrolment = Enrolment.objects.create(campaign=campaign, member=villager)
    for n in range(2):
        checkin = CheckIn.objects.create(
            campaign=campaign, member=villager, day=today - timedelta(days=n), book_title="书", minutes=10
        )
    checkin.photo.save("reading.jpg", ContentFile(b"\xff\xd8 a photo"))
    attachment = Attachment(event=held, kind=Attachment.Kind.MINUTES)
    attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"))
    now = timezone.now()
    questionnaire = Questionnaire.objects.create(
        title="调查", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    Question.objects.create(questionnaire=questionnaire, text="建议", kind="long", required=False)
    need = Need.objects.create(posted_by=villager, category="arts", village="xidamo", text="书法班")
    briefing_author = make_staff("briefing-author", roles.STAFF)
    briefing = briefing_services.briefing_create(
        title="本月", first=today.replace(day=1), last=today, by=briefing_author
    )
    step = briefing_services.next_step_add(briefing=briefing, text="下步", by=briefing_author)
    signed = briefing_services.briefing_sign(
        briefing=briefing_services.briefing_create(
            title="上月", first=today - timedelta(days=60), last=today - timedelta(days=31), by=briefing_author
        ),
        by=make_staff("briefing-head", roles.REVIEWER),
    )
    team = make_team()
    join(team, villager, role="leader")
    join_request = JoinRequest.objects.create(team=team, member=other)
    practice = make_practice(team, now + timedelta(days=1))
    course = make_course()
    session = add_sessions(course, [now - timedelta(days=2)])[0]
    course_enrolment = CourseEnrolment.objects.create(
        course=course,
        member=villager,
        number=1,
        status="confirmed",
        confirmed_at=now - timedelta(days=3),
        certificate_number="KC2026-001-001",
        code=tickets.new_code(),
    )
    volunteer, shift, signup, hours, certificate, alert = _volunteer_scene(villager)
    quiz = Questionnaire.objects.create(
        title="问答", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1), is_quiz=True, live=True
    )
    article = Article.objects.create(
        title="新闻", slug="news", summary="摘要", body="正文", status=Article.Status.PUBLISHED, published_at=now
    )
    kwargs = {
        "household_edit": {"member_id": child.pk},
        "activities:detail": {"pk": event.pk},
        "activities:signup": {"pk": event.pk},
        "activities:ics": {"pk": event.pk},
        "activities:checkin": {"pk": event.pk},
        "activities:registrants": {"pk": event.pk},
        "activities:registrants_export": {"pk": event.pk, "fmt": "csv"},
        "activities:registrant_cancel": {"pk": event.pk, "registration_id": registration.pk},
        "activities:work_log": {"pk": held.pk},
        "activities:attachment_file": {"pk": attachment.pk},
        "lending:checkin_photo": {"pk": checkin.pk},
        "activities:review": {"pk": event.pk},
        "activities:cancel": {"pk": registration.pk},
        "activities:ticket": {"code": registration.code},
        "lending:book": {"pk": book.pk},
        "lending:hold": {"pk": book.pk},
        "lending:hold_cancel": {"pk": hold.pk},
        "lending:renew": {"pk": loan.pk},
        **{
            name: {"slug": campaign.slug}
            for name in (
                "lending:campaign",
                "lending:campaign_enrol",
                "lending:campaign_checkin",
                "lending:campaign_moderation",
                "lending:campaign_statistics",
            )
        },
        "lending:campaign_export": {"slug": campaign.slug, "fmt": "csv"},
        "lending:certificate": {"slug": campaign.slug, "member_id": villager.pk},
        "lending:campaign_withdraw": {"pk": enrolment.pk},
        "feedback:need": {"pk": need.pk},
        "feedback:need_support": {"pk": need.pk},
        "feedback:need_manage": {"pk": need.pk},
        **{
            name: {"pk": questionnaire.pk}
            for name in ("feedback:survey", "feedback:survey_entry", "feedback:survey_results")
        },
        "feedback:survey_export": {"pk": questionnaire.pk, "fmt": "csv"},
        "feedback:evaluate": {"event_id": held.pk},
        "feedback:evaluation_slips": {"event_id": held.pk},
        **{
            name: {"pk": briefing.pk}
            for name in (
                "feedback:briefing",
                "feedback:briefing_write",
                "feedback:briefing_step_add",
                "feedback:briefing_sign",
                "feedback:briefing_print",
                "feedback:briefing_pdf",
                "feedback:briefing_xlsx",
            )
        },
        "feedback:briefing_revise": {"pk": signed.pk},
        "feedback:briefing_step_remove": {"pk": briefing.pk, "step_id": step.pk},
        "briefings:detail": {"pk": signed.pk},
        **{name: {"slug": team.slug} for name in ("activities:team", "activities:team_join", "activities:team_manage")},
        "activities:team_request_decide": {"slug": team.slug, "pk": join_request.pk},
        "activities:practice_attendance": {"slug": team.slug, "pk": practice.pk},
        "activities:team_register": {"slug": team.slug, "fmt": "xlsx"},
        **{
            name: {"pk": course.pk}
            for name in (
                "activities:course",
                "activities:course_enrol",
                "activities:course_manage",
                "activities:course_action",
                "activities:course_desk_enrol",
            )
        },
        "activities:course_register": {"pk": course.pk, "fmt": "xlsx"},
        "activities:course_certificate": {"pk": course.pk, "enrolment_id": course_enrolment.pk},
        "activities:course_withdraw": {"pk": course_enrolment.pk},
        "activities:course_ticket": {"code": course_enrolment.code},
        "activities:session_attendance": {"pk": session.pk},
        "activities:session_change": {"pk": session.pk},
        **room_kwargs(),
        **{name: {"pk": volunteer.pk} for name in ("activities:volunteer_consent", "activities:volunteer_person")},
        "activities:volunteer_application_decide": {"pk": volunteer.pk},
        **{
            name: {"pk": shift.pk}
            for name in ("activities:volunteer_shift", "activities:volunteer_signup", "activities:volunteer_no_shows")
        },
        **{
            name: {"pk": signup.pk}
            for name in (
                "activities:volunteer_cancel",
                "activities:volunteer_confirm",
                "activities:volunteer_check",
                "activities:volunteer_request_decide",
            )
        },
        **{
            name: {"pk": hours.pk}
            for name in ("activities:volunteer_hours_decide", "activities:volunteer_hours_correct")
        },
        "activities:volunteer_alert_seen": {"pk": alert.pk},
        "activities:volunteer_hours_export": {"fmt": "xlsx"},
        "activities:volunteer_verify": {"serial": certificate.serial},
        "volunteering:certificate": {"serial": certificate.serial},
        **{
            name: {"pk": quiz.pk}
            for name in ("feedback:quiz", "feedback:quiz_results", "feedback:quiz_draw", "feedback:quiz_live")
        },
        "feedback:quiz_export": {"pk": quiz.pk, "fmt": "csv"},
        "news:article": {"slug": article.slug},
        "news:review": {"pk": article.pk},
    }
    users = {
        "villager": villager.user,
        "other": other.user,
        "staff": make_staff("staff", roles.STAFF),
        "reviewer": make_staff("reviewer", roles.REVIEWER),
        "librarian": make_staff("librarian", roles.LIBRARIAN),
    }
    return kwargs, users


def _volunteer_scene(villager):
    """The villager volunteers: a place in a shift, pending hours, a certificate; the coordinator has an alert."""
    from activities.models import CoordinatorAlert, HoursEntry, Shift, ShiftRole, ShiftSignup, Volunteer

    volunteer = Volunteer.objects.create(member=villager, village=villager.village, status="accepted", skills=[])
    starts = timezone.now() + timedelta(days=2)
    shift = Shift.objects.create(title="阅览室值班", kind="duty", starts_at=starts, ends_at=starts + timedelta(hours=3))
    role = ShiftRole.objects.create(shift=shift, name="引导", needed=2)
    signup = ShiftSignup.objects.create(shift=shift, role=role, volunteer=volunteer, status="confirmed")
    HoursEntry.objects.create(
        volunteer=volunteer,
        kind="self_reported",
        status="approved",
        service_date=timezone.localdate(),
        minutes=60,
        content="值班",
        reason="核实",
        decided_at=timezone.now(),
    )
    hours = HoursEntry.objects.create(
        volunteer=volunteer,
        kind="self_reported",
        service_date=timezone.localdate(),
        minutes=30,
        content="下乡",
        reason="核实",
    )
    from activities.services import certificate_issue

    certificate = certificate_issue(volunteer=volunteer, by=villager.user)
    alert = CoordinatorAlert.objects.create(shift=shift, text="临时取消")
    return volunteer, shift, signup, hours, certificate, alert


def test_every_url_pattern_is_in_the_matrix():
    names = {name for name, _params in all_url_names()}
    assert names - EXPECTED.keys() == set(), "a page without a decision about who may see it"
    assert EXPECTED.keys() - names == set(), "the matrix lists a page that no longer exists"


def test_every_persona_gets_the_expected_answer(scene):
    kwargs, users = scene
    wrong = []
    for name, _params in all_url_names():
        url = reverse(name, kwargs=kwargs.get(name))
        for persona, expected in zip(PERSONAS, EXPECTED[name], strict=True):
            client = Client()
            if persona != "anonymous":
                client.force_login(users[persona])
            status = client.get(url).status_code
            if status != expected:
                wrong.append(f"{persona:<9} GET {url} → {status}, expected {expected}")
    assert wrong == []


def test_the_admin_is_for_staff_only(scene):
    _kwargs, users = scene
    assert Client().get("/admin/").status_code == 302
    villager = Client()
    villager.force_login(users["villager"])
    assert villager.get("/admin/").status_code == 302
    staff = Client()
    staff.force_login(users["staff"])
    assert staff.get("/admin/").status_code == 200
