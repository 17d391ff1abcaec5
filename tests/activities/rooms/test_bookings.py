"""Staff bookings, series, requests, priority moves, no-shows and records."""

from datetime import time, timedelta

import pytest
from django.core.management import call_command

from activities import services
from activities.models import Booking, BookingStep, Occupancy
from culturecenter.models import Notice, SpecialDay
from tests.activities.rooms.conftest import DAY, at, book, later

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "hours")]


class TestRules:
    def test_a_booking_claims_its_room_with_a_logged_step(self, hall, staff):
        booking = book(hall, at(14), at(16), by=staff, setup_minutes=30)

        claim = booking.occupancies.get()
        assert claim.blocked_from == at(13, 30)
        assert booking.steps.get().action == BookingStep.Action.BOOKED
        assert booking.steps.get().actor == staff

    def test_a_booking_across_midnight_is_refused_with_book_two(self, hall, staff):
        with pytest.raises(services.ActivityError, match="book two"):
            book(hall, at(20), later(1, 1), by=staff, hours_override_reason="夜间会议")

    def test_outside_opening_hours_needs_a_reason(self, hall, staff):
        with pytest.raises(services.ActivityError, match="请填写理由"):
            book(hall, at(20), at(22), by=staff)

        booking = book(hall, at(20), at(22), by=staff, hours_override_reason="镇防汛紧急会议")

        assert "镇防汛紧急会议" in booking.steps.get().note

    def test_longer_than_the_room_allows_is_refused(self, hall, staff):
        hall.max_booking_minutes = 120
        hall.save()

        with pytest.raises(services.ActivityError, match="最多预约2小时"):
            book(hall, at(9), at(12), by=staff)

    def test_too_far_ahead_is_refused(self, hall, staff):
        with pytest.raises(services.ActivityError, match="最多提前90天"):
            book(hall, later(91, 10), later(91, 12), by=staff)

    def test_more_people_than_the_room_holds_is_refused(self, dance, staff):
        with pytest.raises(services.ActivityError, match="只能容纳25人"):
            book(dance, at(10), at(12), by=staff, attendance=40)

    def test_a_clash_names_the_other_and_offers_free_alternatives(self, hall, dance, staff):
        book(hall, at(14), at(16), title="防火安全讲座", by=staff)

        with pytest.raises(services.RoomClash) as refused:
            book(hall, at(15), at(16), by=staff)

        message = refused.value.messages[0]
        assert "防火安全讲座" in message and "14:00–16:00" in message
        assert "16:00–17:00" in message  # the same room, just after
        assert not Booking.objects.filter(title="党员学习").exists()  # the whole booking was undone

    def test_borrowed_equipment_clashes_like_a_room(self, hall, dance, staff):
        from activities.models import Venue

        sound = Venue.objects.create(name="便携音响", kind=Venue.Kind.RESOURCE)
        book(hall, at(14), at(16), by=staff, resources=[sound])

        with pytest.raises(services.RoomClash, match="便携音响"):
            book(dance, at(15), at(17), by=staff, resources=[sound])

    def test_cancelling_frees_exactly_its_time_and_tells_the_booker(self, hall, staff, leader):
        first = book(hall, at(14), at(16), by=staff, contact=leader.user)
        other = book(hall, at(16), at(18), by=staff)

        services.booking_cancel(booking=first, by=staff, reason="主办方改期")

        assert list(Occupancy.objects.values_list("booking", flat=True)) == [other.pk]
        assert "主办方改期" in Notice.objects.get(member=leader).text


class TestSeries:
    def plan(self, venue, **extra):
        return services.series_preview(
            venue=venue,
            weekday=DAY.weekday(),
            starts_time=time(19),
            ends_time=time(21),
            first_date=DAY,
            last_date=DAY + timedelta(weeks=5),
            **extra,
        )

    def test_the_preview_marks_every_date_with_the_reason(self, dance, staff):
        book(dance, later(7, 18), later(7, 20), title="少儿舞蹈课", by=staff)
        SpecialDay.objects.create(date=DAY + timedelta(weeks=3), is_closed=True, note="元旦")

        plan = self.plan(dance)

        assert len(plan.checks) == 6
        assert [c.ok for c in plan.checks] == [True, False, True, False, True, True]
        assert "少儿舞蹈课" in plan.checks[1].reasons[0]
        assert "元旦" in plan.checks[3].reasons[0]

    def test_book_only_the_free_dates_then_add_a_skipped_one_back(self, dance, staff):
        lesson = book(dance, later(7, 18), later(7, 20), title="少儿舞蹈课", by=staff)

        series = services.series_create(
            plan=self.plan(dance),
            only_free=True,
            title="广场舞排练",
            organiser="广场舞队",
            by=staff,
            purpose=Booking.Purpose.PRACTICE,
        )

        assert series.bookings.count() == 5
        assert services.series_skipped_dates(series) == [DAY + timedelta(weeks=1)]
        with pytest.raises(services.RoomClash):
            services.series_add_date(series=series, day=DAY + timedelta(weeks=1), by=staff)
        services.booking_cancel(booking=lesson, by=staff, reason="老师请假")
        services.series_add_date(series=series, day=DAY + timedelta(weeks=1), by=staff)
        assert services.series_skipped_dates(series) == []

    def test_book_none_when_any_date_is_taken(self, dance, staff):
        book(dance, later(7, 18), later(7, 20), title="少儿舞蹈课", by=staff)

        with pytest.raises(services.ActivityError, match="没有预约任何日期"):
            services.series_create(
                plan=self.plan(dance), only_free=False, title="广场舞排练", organiser="广场舞队", by=staff
            )

        assert not Booking.objects.filter(title="广场舞排练").exists()

    def test_a_series_outside_hours_needs_a_reason_for_every_date(self, dance, staff):
        plan = services.series_preview(
            venue=dance,
            weekday=DAY.weekday(),
            starts_time=time(20),
            ends_time=time(22),
            first_date=DAY,
            last_date=DAY + timedelta(weeks=1),
        )

        assert not any(c.ok for c in plan.checks)


class TestRequests:
    def ask(self, venue, start, end, by, title="村委会议"):
        return services.request_create(
            venue=venue,
            starts_at=start,
            ends_at=end,
            title=title,
            organiser="上清水村委会",
            organiser_kind="village",
            purpose="meeting",
            attendance=20,
            by=by,
        )

    def test_approving_one_request_declines_the_clashing_ones_and_tells_everyone(
        self, hall, staff, leader, other_villager
    ):
        first = self.ask(hall, later(2, 14), later(2, 16), leader.user)
        clashing = self.ask(hall, later(2, 15), later(2, 17), other_villager.user, title="合唱排练")
        apart = self.ask(hall, later(2, 16), later(2, 18), other_villager.user, title="书法")

        assert services.request_conflicts(first) == [clashing]
        declined = services.request_approve(booking=first, by=staff)

        assert declined == [clashing]
        clashing.refresh_from_db()
        apart.refresh_from_db()
        assert clashing.status == "declined" and apart.status == "requested"
        assert "approved" in Notice.objects.get(member=leader).text or "批准" in Notice.objects.get(member=leader).text
        assert "村委会议" in Notice.objects.get(member=other_villager).text
        assert Occupancy.objects.get().booking == first

    def test_a_request_for_a_taken_time_is_refused_at_once(self, hall, staff, leader):
        book(hall, later(2, 14), later(2, 16), by=staff, title="人代会")

        with pytest.raises(services.RoomClash, match="人代会"):
            self.ask(hall, later(2, 15), later(2, 16), leader.user)

    def test_declining_needs_a_reason_and_tells_the_requester(self, hall, staff, leader):
        request = self.ask(hall, later(2, 14), later(2, 16), leader.user)

        with pytest.raises(services.ActivityError):
            services.request_decline(booking=request, by=staff, reason=" ")
        services.request_decline(booking=request, by=staff, reason="当天有上级检查")

        assert "当天有上级检查" in Notice.objects.get(member=leader).text
        assert [s.action for s in request.steps.all()] == ["requested", "declined"]

    def test_members_cannot_request_hosted_meetings(self, hall, leader):
        with pytest.raises(services.ActivityError):
            services.request_create(
                venue=hall,
                starts_at=later(2, 14),
                ends_at=later(2, 16),
                title="会",
                organiser="我",
                organiser_kind="person",
                purpose="hosted_meeting",
                attendance=5,
                by=leader.user,
            )


class TestPriorityAndNoShows:
    def test_a_government_meeting_moves_a_practice_and_its_booker_is_told(self, hall, dance, staff, leader):
        practice = book(
            dance,
            later(1, 14),
            later(1, 16),
            title="广场舞排练",
            purpose="practice",
            by=staff,
            contact=leader.user,
            organiser="广场舞队",
        )
        with pytest.raises(services.RoomClash) as refused:
            book(dance, later(1, 14), later(1, 16), title="镇人大代表座谈会", purpose="hosted_meeting", by=staff)
        (in_the_way,) = services.displaceable(refused.value.clashes)
        choices = services.move_choices(in_the_way, avoid=(later(1, 14), later(1, 16)))

        services.booking_create_with_priority(
            moves={in_the_way: choices[0]},
            reason="镇人大座谈会",
            by=staff,
            venue=dance,
            starts_at=later(1, 14),
            ends_at=later(1, 16),
            title="镇人大代表座谈会",
            organiser="清水镇人大",
            purpose="hosted_meeting",
        )

        practice.refresh_from_db()
        assert practice.starts_at == choices[0].starts_at
        notice = Notice.objects.get(member=leader).text
        assert "广场舞排练" in notice and "镇人大座谈会" in notice
        assert practice.steps.last().action == "moved"

    def test_a_meeting_is_never_allowed_to_move_another_meeting(self, hall, staff):
        book(hall, at(14), at(16), by=staff)
        with pytest.raises(services.RoomClash) as refused:
            book(hall, at(14), at(16), title="座谈会", purpose="hosted_meeting", by=staff)

        assert services.displaceable(refused.value.clashes) == []

    def test_a_booking_not_checked_in_within_fifteen_minutes_is_released(self, clock, hall, staff, leader):
        came = book(hall, at(9), at(10), by=staff, contact=leader.user, title="书法")
        missed = book(hall, at(10), at(11), by=staff, contact=leader.user, title="合唱")
        services.booking_check_in(booking=came, by=staff)
        clock.move_to(at(10, 14))
        call_command("rooms_release_no_shows")
        assert Booking.objects.get(pk=missed.pk).status == "confirmed"

        clock.move_to(at(10, 16))
        call_command("rooms_release_no_shows")

        missed.refresh_from_db()
        assert missed.status == "released" and not missed.occupancies.exists()
        assert Booking.objects.get(pk=came.pk).status == "confirmed"
        assert "合唱" in Notice.objects.get(member=leader).text

    def test_two_no_shows_in_thirty_days_pause_requests(self, clock, hall, staff, leader):
        for hour in (9, 11):
            book(hall, at(hour), at(hour + 1), by=staff, contact=leader.user)
        clock.move_to(at(13))
        assert services.no_shows_release() == 2

        with pytest.raises(services.ActivityError, match="paused"):
            services.request_create(
                venue=hall,
                starts_at=later(2, 14),
                ends_at=later(2, 16),
                title="会",
                organiser="我",
                organiser_kind="person",
                purpose="meeting",
                attendance=5,
                by=leader.user,
            )


class TestHostedRecords:
    def test_the_record_is_kept_with_who_and_when(self, clock, hall, staff):
        meeting = book(
            hall,
            at(9),
            at(12),
            title="清水镇第八届人民代表大会第六次会议",
            purpose="hosted_meeting",
            by=staff,
            organiser="清水镇人大主席团",
        )
        with pytest.raises(services.ActivityError):
            services.hosted_record_save(
                booking=meeting, attendance=80, organisations="", summary="x", services=[], by=staff
            )
        clock.move_to(at(13))

        record = services.hosted_record_save(
            booking=meeting,
            attendance=86,
            organisations="镇人大、镇政府",
            summary="审议政府工作报告。",
            services=["onsite", "archive"],
            by=staff,
        )

        assert record.service_labels() == ["现场保障", "档案管理"]
        assert meeting.steps.last().action == "recorded"
