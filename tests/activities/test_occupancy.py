"""The occupancy core: no two claims on one room overlap, counting set-up and clean-up."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from activities import services
from activities.models import Occupancy, Venue
from culturecenter.models import SpecialDay
from tests.conftest import make_regular_schedule

pytestmark = pytest.mark.django_db

# A Wednesday; the center is open Tuesday to Sunday 9:00–17:00 in these tests.
DAY = date(2026, 12, 9)


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(at(8), tick=False):
        yield


@pytest.fixture
def hall(db):
    return Venue.objects.create(name="多功能厅", kind=Venue.Kind.ROOM, capacity=120)


def claim(venue, start, end, title="讲座", **extra):
    return services.occupancy_claim(
        venue=venue, kind=Occupancy.Kind.BOOKING, title=title, starts_at=start, ends_at=end, by=None, **extra
    )


def test_a_use_ending_at_seven_and_one_starting_at_seven_do_not_clash(hall):
    claim(hall, at(17), at(19), title="党员学习")
    claim(hall, at(19), at(21), title="广场舞排练")

    assert Occupancy.objects.filter(venue=hall).count() == 2


def test_overlapping_use_is_refused_with_a_message_naming_the_other(hall):
    claim(hall, at(14), at(16), title="防火安全讲座")

    with pytest.raises(services.RoomClash) as refused:
        claim(hall, at(15), at(17))

    assert "防火安全讲座" in refused.value.messages[0]
    assert "14:00–16:00" in refused.value.messages[0]
    assert refused.value.clashes[0].title == "防火安全讲座"


def test_set_up_time_counts_as_taken(hall):
    claim(hall, at(14), at(16), title="防火安全讲座")

    with pytest.raises(services.RoomClash):
        claim(hall, at(16, 30), at(18), setup_minutes=45)
    claim(hall, at(16, 30), at(18), setup_minutes=30)


def test_clean_up_time_counts_as_taken(hall):
    claim(hall, at(14), at(16), title="歌咏比赛", cleanup_minutes=60)

    with pytest.raises(services.RoomClash):
        claim(hall, at(16, 30), at(18))
    claim(hall, at(17), at(18))


def test_another_room_at_the_same_time_is_free(hall):
    craft = Venue.objects.create(name="手工活动室", capacity=30)
    claim(hall, at(14), at(16))

    claim(craft, at(14), at(16))


def test_a_village_site_never_goes_on_the_calendar(db):
    site = Venue.objects.create(name="黄安坨村委会广场", in_center=False, kind=Venue.Kind.SITE, village="huangantuo")

    with pytest.raises(services.ActivityError):
        claim(site, at(14), at(16))


def test_end_before_start_is_refused(hall):
    with pytest.raises(services.ActivityError):
        claim(hall, at(16), at(14))


def test_moving_a_claim_frees_its_old_time_and_checks_the_new(hall):
    first = claim(hall, at(14), at(16), title="读书会")
    claim(hall, at(17), at(18), title="合唱")

    services.occupancy_move(occupancy=first, starts_at=at(10), ends_at=at(12), by=None)
    claim(hall, at(14), at(16), title="新的讲座")
    with pytest.raises(services.RoomClash) as refused:
        services.occupancy_move(occupancy=first, starts_at=at(17, 30), ends_at=at(18, 30), by=None)

    assert "合唱" in refused.value.messages[0]
    first.refresh_from_db()
    assert first.starts_at == at(10)


def test_a_claim_moved_within_its_own_time_does_not_clash_with_itself(hall):
    first = claim(hall, at(14), at(16))

    services.occupancy_move(occupancy=first, starts_at=at(14, 30), ends_at=at(16, 30), by=None)


def test_released_claims_free_exactly_their_time(hall):
    first = claim(hall, at(14), at(16))
    other = claim(hall, at(16), at(18))

    assert services.occupancy_release(occupancies=[first], by=None) == 1

    claim(hall, at(14), at(16))
    assert Occupancy.objects.filter(pk=other.pk).exists()


def test_the_calendar_finds_claims_overlapping_a_day(hall):
    claim(hall, at(14), at(16))
    claim(hall, at(14, day=DAY + timedelta(days=1)), at(16, day=DAY + timedelta(days=1)))

    assert Occupancy.objects.between(at(0), at(0, day=DAY + timedelta(days=1))).count() == 1


class TestSlotsCheck:
    def test_each_slot_says_free_or_why_not(self, hall):
        make_regular_schedule()
        SpecialDay.objects.create(date=DAY + timedelta(days=7), is_closed=True, note="元旦")
        claim(hall, at(15), at(16), title="党员学习")
        slots = [
            (at(14), at(16)),
            (at(10), at(12)),
            (at(10, day=DAY + timedelta(days=7)), at(12, day=DAY + timedelta(days=7))),
            (at(18), at(20)),
            (at(10, day=DAY - timedelta(days=2)), at(12, day=DAY - timedelta(days=2))),  # a Monday
        ]

        checks = services.slots_check(venue=hall, slots=slots)

        by_start = {c.starts_at: c for c in checks}
        assert "党员学习" in by_start[at(14)].reasons[0]
        assert by_start[at(10)].ok and by_start[at(10)].reasons == []
        assert "元旦" in by_start[at(10, day=DAY + timedelta(days=7))].reasons[0]
        assert "9:00–17:00" in by_start[at(18)].reasons[0]
        assert not by_start[at(10, day=DAY - timedelta(days=2))].ok

    def test_the_whole_series_is_checked_in_a_fixed_number_of_queries(self, hall, django_assert_max_num_queries):
        make_regular_schedule()
        slots = [(at(10, day=DAY + timedelta(days=7 * n)), at(12, day=DAY + timedelta(days=7 * n))) for n in range(20)]

        with django_assert_max_num_queries(4):
            checks = services.slots_check(venue=hall, slots=slots)

        assert all(c.ok for c in checks)

    def test_set_up_counts_in_the_preview(self, hall):
        claim(hall, at(14), at(16), title="防火安全讲座")

        (check,) = services.slots_check(venue=hall, slots=[(at(16, 15), at(17))], setup_minutes=30)

        assert not check.ok


class TestAlternatives:
    def test_the_next_free_time_that_day_and_a_room_as_big(self, hall):
        make_regular_schedule()
        Venue.objects.create(name="小会议室", capacity=20)
        big = Venue.objects.create(name="礼堂", capacity=200)
        claim(hall, at(9), at(12), title="人代会")

        found = services.free_alternatives(venue=hall, starts_at=at(10), ends_at=at(11))

        assert (found[0].venue, found[0].starts_at) == (hall, at(12))
        assert (found[1].venue, found[1].starts_at) == (hall, at(10, day=DAY + timedelta(days=1)))
        assert [a.venue for a in found[2:]] == [big]  # the small room would not hold the people
