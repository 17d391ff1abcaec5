"""At phone width: a team leader takes a practice's attendance; a parent applies for the
course lottery for their child and later sees the result."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities import services
from activities.models import Course, CourseEnrolment, PracticeAttendance, TeamMembership
from tests.activities.courses.conftest import join, make_course, make_practice, make_team
from tests.conftest import make_dependant, make_staff, make_villager
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_leader_marks_everyone_present_in_one_tap_then_the_exception(phone):
    team = make_team()
    leader = make_villager(name="李秀兰", mobile="13800000002")
    join(team, leader, role=TeamMembership.Role.LEADER)
    for name in ("张秀英", "王桂兰", "赵淑珍"):
        join(team, make_villager(name=name))
    practice = make_practice(team, timezone.now() - timedelta(minutes=20))
    page = phone
    log_in(page, leader.user.username)

    page.goto(f"/activities/teams/{team.slug}/")
    page.get_by_role("link", name="管理队伍").click()
    page.locator(f'a[href$="/practices/{practice.pk}/"]').click()
    page.get_by_role("button", name="把 4 位未记录的人都记为出勤").click()
    expect(page.get_by_text("已保存 4 条考勤。")).to_be_visible()
    page.get_by_role("group", name="王桂兰").get_by_label("请假").check()
    page.get_by_role("button", name="保存考勤").click()
    expect(page.get_by_text("已保存 1 条考勤。")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "practice-attendance-phone.png"), full_page=True)

    marks = dict(PracticeAttendance.objects.values_list("member__name", "mark"))
    assert marks == {"李秀兰": "present", "张秀英": "present", "王桂兰": "excused", "赵淑珍": "present"}


def test_a_parent_applies_for_the_lottery_for_a_child_and_later_sees_the_result(phone):
    course = make_course(allocation=Course.Allocation.LOTTERY, capacity=2, title="舞蹈基础课 冬季班")
    staff = make_staff()
    services.lottery_commit(course=course, by=staff)
    parent = make_villager(name="王建华")
    child = make_dependant(parent, name="王小雨", birth_year=timezone.localdate().year - 10)
    page = phone
    log_in(page, parent.user.username)

    page.goto("/activities/courses/")
    page.get_by_role("link", name="舞蹈基础课 冬季班").click()
    course.refresh_from_db()
    expect(page.locator(".lottery__hash").first).to_have_text(course.seed_hash)
    page.get_by_role("button", name="申请 王小雨").click()
    expect(page.get_by_text("王小雨 已参加抽签，申请号 1。")).to_be_visible()

    for n in range(3):
        other = make_villager(name=f"村民{n}")
        services.course_enrol(course=course, member=other, by=other.user)
    Course.objects.filter(pk=course.pk).update(enrol_closes_at=timezone.now() - timedelta(minutes=1))
    services.lottery_draw(course=course, by=staff)

    page.reload()
    expect(page.get_by_text(course.seed, exact=False).first).to_be_visible()
    status = CourseEnrolment.objects.get(member=child).get_status_display()
    expect(page.locator("main")).to_contain_text(f"王小雨: {status}")
    page.goto("/accounts/notices/")
    expect(page.locator("main")).to_contain_text("抽签结果：王小雨")
    page.screenshot(path=str(ARTIFACTS / "lottery-result-phone.png"), full_page=True)
