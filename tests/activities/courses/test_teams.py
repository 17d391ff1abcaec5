"""Teams: dated memberships, asking to join, the leader's practice attendance (their own
team only), the public page, the register for 备案 and query counts."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from activities import services
from activities.models import Honour, JoinRequest, PracticeAttendance, TeamMembership
from culturecenter.models import Notice
from tests.activities.courses.conftest import join, make_practice, make_team
from tests.conftest import make_villager

pytestmark = pytest.mark.django_db


def test_counts_for_any_date_follow_the_dated_memberships():
    team = make_team()
    join(team, make_villager(), joined_on=date(2024, 1, 1))
    join(team, make_villager(), joined_on=date(2024, 6, 1), left_on=date(2025, 3, 1))
    join(team, make_villager(), joined_on=date(2025, 2, 1))

    assert team.members_on(date(2024, 3, 1)).count() == 1
    assert team.members_on(date(2025, 2, 15)).count() == 3
    assert team.members_on(date(2025, 3, 1)).count() == 2  # left that day


def test_one_open_membership_per_person_per_team_but_rejoining_after_leaving_is_fine(villager):
    team = make_team()
    first = join(team, villager, joined_on=date(2024, 1, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        join(team, villager, joined_on=date(2024, 5, 1))
    services.membership_end(membership=first, by=None, left_on=date(2024, 8, 1))
    again = services.membership_start(team=team, member=villager, by=None, joined_on=date(2025, 1, 1))

    assert again.pk != first.pk
    assert team.memberships.filter(member=villager).count() == 2


def test_a_villager_asks_to_join_and_the_leader_accepts(client, villager):
    team = make_team()
    leader = make_villager(name="李秀兰")
    join(team, leader, role=TeamMembership.Role.LEADER)
    client.force_login(villager.user)
    client.post(f"/activities/teams/{team.slug}/join/", {"member": villager.pk, "message": "我想学《清水谣》"})
    request = JoinRequest.objects.get()
    assert (
        "申请加入" in Notice.objects.get(member=leader).text or "asks to join" in Notice.objects.get(member=leader).text
    )

    client.force_login(leader.user)
    client.post(f"/activities/teams/{team.slug}/requests/{request.pk}/", {"accept": "1"})

    membership = team.memberships.get(member=villager)
    assert membership.joined_on == timezone.localdate()
    assert "清水镇广场舞队" in Notice.objects.get(member=villager).text


def test_a_declined_request_is_told_and_leaves_no_membership(villager, staff_user):
    team = make_team()
    request = services.join_request_create(team=team, member=villager, by=villager.user)

    services.join_request_decide(request=request, accept=False, by=staff_user)

    assert not team.memberships.exists()
    assert Notice.objects.filter(member=villager).count() == 1


def test_asking_twice_is_refused(villager):
    team = make_team()
    services.join_request_create(team=team, member=villager, by=villager.user)

    with pytest.raises(services.ActivityError):
        services.join_request_create(team=team, member=villager, by=villager.user)


def test_the_leader_takes_practice_attendance_on_a_phone(client):
    team = make_team()
    leader = make_villager(name="李秀兰")
    join(team, leader, role=TeamMembership.Role.LEADER)
    dancers = [make_villager(name=name) for name in ("张秀英", "王桂兰")]
    for dancer in dancers:
        join(team, dancer)
    gone = make_villager(name="退队的")
    join(team, gone, joined_on=date(2024, 1, 1), left_on=date(2024, 6, 1))
    practice = make_practice(team, timezone.now() - timedelta(minutes=30))
    url = f"/activities/teams/{team.slug}/practices/{practice.pk}/"
    client.force_login(leader.user)

    page = client.get(url).content.decode()
    assert "张秀英" in page and "退队的" not in page
    client.post(url, {"all_present": "1", f"mark-{dancers[1].pk}": "excused"})
    client.post(url, {"all_present": "1"})  # opened again: nothing overwritten

    marks = dict(PracticeAttendance.objects.values_list("member__name", "mark"))
    assert marks == {"李秀兰": "present", "张秀英": "present", "王桂兰": "excused"}


def test_a_leader_of_another_team_and_a_plain_member_get_404(client):
    team, other = make_team(), make_team(name="花信清水", slug="huaxin")
    outsider_leader, member = make_villager(name="别队队长"), make_villager(name="队员")
    join(other, outsider_leader, role=TeamMembership.Role.LEADER)
    join(team, member)
    practice = make_practice(team, timezone.now())

    for person in (outsider_leader, member):
        client.force_login(person.user)
        assert client.get(f"/activities/teams/{team.slug}/practices/{practice.pk}/").status_code == 404
        assert (
            client.post(f"/activities/teams/{team.slug}/practices/{practice.pk}/", {"all_present": "1"}).status_code
            == 404
        )
        assert client.get(f"/activities/teams/{team.slug}/manage/").status_code == 404
    assert not PracticeAttendance.objects.exists()


def test_a_leader_who_stepped_down_can_no_longer_take_attendance(client):
    team = make_team()
    former = make_villager(name="老队长")
    join(team, former, role=TeamMembership.Role.LEADER, joined_on=date(2020, 1, 1), left_on=date(2025, 1, 1))
    practice = make_practice(team, timezone.now())
    client.force_login(former.user)

    assert client.get(f"/activities/teams/{team.slug}/practices/{practice.pk}/").status_code == 404


def test_the_team_page_shows_leader_practices_and_honours(client):
    team = make_team()
    join(team, make_villager(name="李秀兰"), role=TeamMembership.Role.LEADER)
    make_practice(team, timezone.now() + timedelta(days=2))
    Honour.objects.create(
        team=team, title="“华文奖”摄影类三等奖", awarded_on=date(2024, 11, 20), awarding_body="“华文奖”大赛组委会"
    )

    page = client.get(f"/activities/teams/{team.slug}/").content.decode()

    assert "李*兰" in page
    assert "“华文奖”摄影类三等奖" in page and "2024-11-20" in page
    assert "文化中心门前广场" in page


def test_join_requests_are_escaped_on_the_manage_page(staff_client):
    team = make_team()
    requester = make_villager(name="<script>x</script>")
    services.join_request_create(team=team, member=requester, by=requester.user, message="<b>hi</b>")

    page = staff_client.get(f"/activities/teams/{team.slug}/manage/").content.decode()

    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert "<b>hi</b>" not in page


def test_staff_download_the_register_for_the_culture_office_formula_safe(staff_client):
    team = make_team()
    join(team, make_villager(name="=1+1"), joined_on=date(2024, 1, 1), left_on=date(2024, 9, 1))
    join(team, make_villager(name="张秀英"), joined_on=date(2024, 3, 1))

    response = staff_client.get(f"/activities/teams/{team.slug}/register.xlsx")

    rows = list(load_workbook(BytesIO(response.content)).active.values)
    names = {row[0] for row in rows[1:]}
    assert names == {"'=1+1", "张秀英"}


def test_a_leader_cannot_download_the_register(client):
    team = make_team()
    leader = make_villager()
    join(team, leader, role=TeamMembership.Role.LEADER)
    client.force_login(leader.user)

    assert client.get(f"/activities/teams/{team.slug}/register.xlsx").status_code == 403


def test_my_account_lists_my_teams(client, villager):
    team = make_team()
    join(team, villager)
    client.force_login(villager.user)

    assert team.name in client.get("/accounts/me/").content.decode()


@pytest.mark.parametrize("members", [3, 15])
def test_team_pages_take_a_fixed_number_of_queries(client, staff_client, members, django_assert_max_num_queries):
    team = make_team()
    for n in range(members):
        join(team, make_villager(name=f"队员{n}"))
    practice = make_practice(team, timezone.now() - timedelta(hours=1))

    with django_assert_max_num_queries(10):
        listed = client.get("/activities/teams/").content.decode()
    assert f"{members} 名队员" in listed
    with django_assert_max_num_queries(14):
        client.get(f"/activities/teams/{team.slug}/")
    with django_assert_max_num_queries(16):
        staff_client.get(f"/activities/teams/{team.slug}/manage/")
    with django_assert_max_num_queries(12):
        staff_client.get(f"/activities/teams/{team.slug}/practices/{practice.pk}/")
    with django_assert_max_num_queries(8):
        staff_client.get(f"/activities/teams/{team.slug}/register.xlsx")


def test_my_data_covers_team_memberships_enrolments_and_attendance(client, villager):
    from activities.models import CourseEnrolment, SessionAttendance
    from tests.activities.courses.conftest import add_sessions, make_course

    team = make_team()
    join(team, villager)
    course = make_course()
    session = add_sessions(course, [timezone.now() - timedelta(days=1)])[0]
    enrolment = CourseEnrolment.objects.create(
        course=course, member=villager, number=7, status="confirmed", confirmed_at=timezone.now() - timedelta(days=2)
    )
    SessionAttendance.objects.create(session=session, enrolment=enrolment, mark="late")
    client.force_login(villager.user)

    page = client.get("/accounts/me/data/").content.decode()

    assert team.name in page and course.title in page and "迟到" in page
