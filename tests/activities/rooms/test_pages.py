"""The room pages as staff, members and villagers use them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities import services
from activities.models import Booking, Occupancy, Venue
from culturecenter.models import Notice
from tests.activities.rooms.conftest import DAY, at, book, later

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "hours")]


def login(client, user):
    client.force_login(user)
    return client


class TestCalendar:
    def test_the_week_shows_every_kind_of_occupancy_with_its_time(self, client, hall, staff):
        book(hall, at(14), at(16), by=staff, title="防火安全讲座")
        book(hall, at(19), at(21), by=staff, title="夜间防汛会", hours_override_reason="防汛", is_public=False)

        body = login(client, staff).get("/activities/rooms/", {"day": DAY.isoformat()}).content.decode()

        assert "防火安全讲座" in body and "14:00–16:00" in body
        assert "夜间防汛会" in body and "19:00–21:00" in body  # evenings are on the grid
        assert "内部" in body

    def test_the_day_view_places_the_use_on_the_hour_bar(self, client, hall, staff):
        book(hall, at(14), at(16), by=staff, title="防火安全讲座", setup_minutes=30)

        body = login(client, staff).get("/activities/rooms/", {"view": "day", "day": DAY.isoformat()}).content.decode()

        assert 'room-cell__use kind-booking at-28 span-8"' in body  # 14:00 is 28 quarter hours after 7:00
        assert "room-cell__held at-26 span-10" in body  # held from 13:30

    def test_the_week_costs_the_same_queries_whatever_the_number_of_bookings(
        self, client, hall, dance, staff, django_assert_max_num_queries
    ):
        login(client, staff)
        book(hall, at(9), at(10), by=staff)
        with django_assert_max_num_queries(20) as few:
            client.get("/activities/rooms/", {"day": DAY.isoformat()})
        for day in range(5):  # Wednesday to Sunday
            for hour in (9, 11, 13, 15, 17):
                book(dance, later(day, hour), later(day, hour + 1), by=staff, title=f"排练{day}{hour}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get("/activities/rooms/", {"day": DAY.isoformat()})
        assert response.content.decode().count("排练") >= 25

    def test_villagers_cannot_open_the_calendar_or_book(self, client, hall, villager):
        login(client, villager.user)

        assert client.get("/activities/rooms/").status_code == 403
        response = client.post("/activities/rooms/book/", {"venue": hall.pk, "title": "我的会"})
        assert response.status_code == 403
        assert not Booking.objects.exists()


class TestBookingForm:
    def form(self, venue, **extra):
        data = {
            "venue": venue.pk, "title": "广场舞排练", "purpose": "practice", "organiser": "广场舞队",
            "organiser_kind": "team", "attendance": 20, "day": DAY.isoformat(), "starts": "19:00", "ends": "21:00",
            "setup_minutes": 0, "cleanup_minutes": 0, "is_public": "on",
        }  # fmt: skip
        data.update(extra)
        return data

    def test_a_series_preview_then_only_the_free_dates_are_booked(self, client, dance, staff):
        book(dance, later(7, 18), later(7, 20), title="少儿舞蹈课", by=staff)
        login(client, staff)
        until = (DAY + timedelta(weeks=3)).isoformat()

        preview = client.post("/activities/rooms/book/", self.form(dance, repeat_until=until, action="preview"))
        body = preview.content.decode()
        assert body.count("✓") >= 3 and "✗" in body and "少儿舞蹈课" in body
        assert not Booking.objects.filter(title="广场舞排练").exists()

        done = client.post("/activities/rooms/book/", self.form(dance, repeat_until=until, action="book_free"))

        assert done.status_code == 302
        assert Booking.objects.filter(title="广场舞排练").count() == 3

    def test_book_all_refuses_when_one_date_is_taken(self, client, dance, staff):
        book(dance, later(7, 18), later(7, 20), title="少儿舞蹈课", by=staff)
        login(client, staff)
        until = (DAY + timedelta(weeks=3)).isoformat()

        client.post("/activities/rooms/book/", self.form(dance, repeat_until=until, action="book_all"))

        assert not Booking.objects.filter(title="广场舞排练").exists()

    def test_an_end_before_the_start_is_refused_as_crossing_midnight(self, client, dance, staff):
        response = login(client, staff).post("/activities/rooms/book/", self.form(dance, starts="20:00", ends="01:00"))

        assert "跨过午夜" in response.content.decode()
        assert not Booking.objects.exists()

    def test_a_clash_is_shown_with_the_other_and_free_times(self, client, hall, staff):
        book(hall, at(19), at(21), by=staff, title="党员学习")
        response = login(client, staff).post("/activities/rooms/book/", self.form(hall, action="book"))

        body = response.content.decode()
        assert response.status_code == 200
        assert "党员学习" in body and "可改为" in body

    def test_a_government_meeting_moves_the_practice_in_its_way(self, client, dance, staff, leader):
        practice = book(dance, later(1, 14), later(1, 16), title="广场舞排练", purpose="practice", by=staff,
                        contact=leader.user)  # fmt: skip
        login(client, staff)
        meeting = self.form(dance, title="镇人大代表座谈会", purpose="hosted_meeting", organiser="清水镇人大",
                            organiser_kind="government", day=later(1, 0).date().isoformat(), starts="14:00",
                            ends="16:00")  # fmt: skip

        offered = client.post("/activities/rooms/book/", {**meeting, "action": "book"}).content.decode()
        assert "调整排练并预约会议" in offered
        choice = services.move_choices(practice, avoid=(later(1, 14), later(1, 16)))[0]
        value = f"{choice.venue.pk}|{choice.starts_at.isoformat()}|{choice.ends_at.isoformat()}"
        done = client.post("/activities/rooms/book/", {**meeting, "action": "move", f"move_{practice.pk}": value})

        assert done.status_code == 302
        practice.refresh_from_db()
        assert practice.starts_at == choice.starts_at
        assert Booking.objects.get(title="镇人大代表座谈会").status == "confirmed"
        assert "广场舞排练" in Notice.objects.get(member=leader).text


class TestRequestsAndPublicPage:
    def test_a_team_leader_requests_and_is_told_of_the_approval(self, client, hall, staff, leader):
        login(client, leader.user)
        response = client.post("/activities/rooms/request/", {
            "venue": hall.pk, "title": "花信清水排练", "purpose": "rehearsal", "organiser": "花信清水",
            "organiser_kind": "team", "attendance": 18, "day": later(2, 0).date().isoformat(), "starts": "14:00",
            "ends": "16:00",
        })  # fmt: skip
        assert response.status_code == 302
        request = Booking.objects.get(title="花信清水排练")
        assert request.status == "requested" and not Occupancy.objects.exists()

        login(client, staff).post(f"/activities/rooms/bookings/{request.pk}/act/", {"action": "approve"})

        request.refresh_from_db()
        assert request.status == "confirmed" and request.occupancies.exists()
        assert "已批准" in Notice.objects.get(member=leader).text
        login(client, leader.user)
        assert "已预约" in client.get("/activities/rooms/mine/").content.decode()

    def test_villagers_see_internal_meetings_only_as_occupied(self, client, hall, staff, villager):
        book(hall, at(14), at(16), by=staff, title="镇党委理论学习", is_public=False)
        book(hall, at(9), at(11), by=staff, title="防火安全讲座")

        body = client.get(f"/activities/rooms/{hall.pk}/", {"day": DAY.isoformat()}).content.decode()

        assert "防火安全讲座" in body
        assert "镇党委理论学习" not in body and "已占用" in body
        assert "120" in body and "投影仪" in body

    def test_a_village_site_has_no_room_page(self, client):
        site = Venue.objects.create(name="黄安坨村委会广场", in_center=False, kind="site", village="huangantuo")

        assert client.get(f"/activities/rooms/{site.pk}/").status_code == 404


class TestArrivals:
    def test_staff_tap_arrived_on_the_days_list(self, client, hall, staff):
        booking = book(hall, at(9), at(10), by=staff, title="书法")
        login(client, staff)
        assert "书法" in client.get("/activities/rooms/today/").content.decode()

        client.post(f"/activities/rooms/bookings/{booking.pk}/act/", {"action": "check_in", "next": "today"})

        booking.refresh_from_db()
        assert booking.checked_in_at == timezone.now()
        assert booking.steps.last().actor == staff


class TestAdmin:
    def data(self, venue, start, end, **extra):
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        data = {
            "venue": venue.pk, "title": "座谈会", "organiser": "镇政府", "organiser_kind": "government",
            "purpose": "meeting", "attendance": 10, "starts_at_0": local_start.strftime("%Y-%m-%d"),
            "starts_at_1": local_start.strftime("%H:%M"), "ends_at_0": local_end.strftime("%Y-%m-%d"),
            "ends_at_1": local_end.strftime("%H:%M"), "setup_minutes": 0, "cleanup_minutes": 0, "is_public": "on",
            "status": "confirmed", "steps-TOTAL_FORMS": 0, "steps-INITIAL_FORMS": 0,
        }  # fmt: skip
        data.update(extra)
        return data

    def test_a_clash_in_the_admin_is_a_form_error_not_a_500(self, client, hall, staff):
        book(hall, at(14), at(16), by=staff, title="防火安全讲座")
        login(client, staff)

        response = client.post("/admin/activities/booking/add/", self.data(hall, at(15), at(17)))

        assert response.status_code == 200
        assert "防火安全讲座" in response.content.decode()
        assert Booking.objects.count() == 1

    def test_a_booking_added_in_the_admin_holds_its_room(self, client, hall, staff):
        login(client, staff)

        response = client.post("/admin/activities/booking/add/", self.data(hall, at(10), at(12)))

        assert response.status_code == 302, response.content.decode()[-3000:]
        booking = Booking.objects.get()
        assert booking.occupancies.get().starts_at == at(10)
        assert booking.steps.get().actor == staff


class TestArchive:
    def test_a_hosted_meeting_and_its_record_appear_in_the_monthly_archive(self, client, clock, hall, staff):
        meeting = book(hall, at(9), at(12), title="清水镇第八届人民代表大会第六次会议", purpose="hosted_meeting",
                       by=staff, organiser="清水镇人大主席团")  # fmt: skip
        clock.move_to(at(13))
        login(client, staff)
        saved = client.post(f"/activities/rooms/bookings/{meeting.pk}/record/", {
            "form": "record", "attendance": 86, "organisations": "镇人大、镇政府", "summary": "审议政府工作报告。",
            "services": ["onsite", "archive"],
        })  # fmt: skip
        assert saved.status_code == 302, saved.content.decode()[-3000:]
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.post(f"/activities/rooms/bookings/{meeting.pk}/record/", {
            "form": "file", "kind": "minutes", "title": "会议纪要",
            "file": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf"),
        })  # fmt: skip
        refused = client.post(f"/activities/rooms/bookings/{meeting.pk}/record/", {
            "form": "file", "kind": "minutes", "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        })  # fmt: skip

        body = client.get("/activities/archive/", {"month": DAY.strftime("%Y-%m")}).content.decode()
        assert "清水镇第八届人民代表大会第六次会议" in body
        section = body[body.index("hosted-heading") :]
        assert "86" in section and "现场保障" in section and "/activities/rooms/files/" in section
        assert "PDF" in refused.content.decode()
        assert meeting.record.files.count() == 1


class TestMine:
    def test_a_requester_withdraws_their_own_request_but_not_anothers(self, client, hall, leader, other_villager):
        mine = services.request_create(venue=hall, starts_at=later(2, 14), ends_at=later(2, 16), title="村委会议",
                                       organiser="上清水村委会", organiser_kind="village", purpose="meeting",
                                       attendance=12, by=leader.user)  # fmt: skip
        login(client, other_villager.user)
        assert client.post(f"/activities/rooms/mine/{mine.pk}/cancel/").status_code == 404

        login(client, leader.user)
        client.post(f"/activities/rooms/mine/{mine.pk}/cancel/")

        mine.refresh_from_db()
        assert mine.status == "cancelled" and mine.steps.last().actor == leader.user


def test_a_rooms_public_week_costs_the_same_queries_whatever_is_on(client, hall, staff, django_assert_max_num_queries):
    book(hall, at(9), at(10), by=staff)
    with django_assert_max_num_queries(20) as few:
        client.get(f"/activities/rooms/{hall.pk}/", {"day": DAY.isoformat()})
    for day in range(5):
        book(hall, later(day, 14), later(day, 15), by=staff, title=f"讲座{day}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(f"/activities/rooms/{hall.pk}/", {"day": DAY.isoformat()}).content.decode()
    assert body.count("讲座") == 5


def test_the_series_page_says_whether_a_skipped_date_is_free_now(client, dance, staff):
    lesson = book(dance, later(7, 18), later(7, 20), title="少儿舞蹈课", by=staff)
    plan = services.series_preview(
        venue=dance,
        weekday=DAY.weekday(),
        starts_time=at(19).time(),
        ends_time=at(21).time(),
        first_date=DAY,
        last_date=DAY + timedelta(weeks=2),
    )
    series = services.series_create(plan=plan, only_free=True, title="广场舞排练", organiser="广场舞队", by=staff)
    login(client, staff)

    assert "少儿舞蹈课" in client.get(f"/activities/rooms/series/{series.pk}/").content.decode()
    services.booking_cancel(booking=lesson, by=staff, reason="老师请假")
    body = client.get(f"/activities/rooms/series/{series.pk}/").content.decode()

    assert "现在空闲" in body and "补约" in body
    client.post(
        f"/activities/rooms/series/{series.pk}/", {"action": "add", "day": (DAY + timedelta(weeks=1)).isoformat()}
    )
    assert series.bookings.filter(status="confirmed").count() == 3
