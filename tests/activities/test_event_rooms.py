"""Events hold their room from submission for review; village sites never block."""

from datetime import timedelta

import pytest

from activities import services
from activities.models import Event, Occupancy, Venue
from tests.conftest import make_event, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(db):
    return Venue.objects.create(name="文化中心多功能厅", capacity=120)


@pytest.fixture
def author(db):
    return make_staff()


def draft(venue, author, title="防火安全讲座", starts_in=timedelta(days=3), **fields):
    return make_event(title=title, venue=venue, status="draft", author=author, starts_in=starts_in, **fields)


def test_a_submitted_event_holds_its_room_with_set_up_and_clean_up(hall, author):
    event = draft(hall, author, setup_minutes=30, cleanup_minutes=15)

    services.event_submit(event=event, by=author)

    (claim,) = event.occupancies.all()
    assert claim.venue == hall and claim.kind == "event"
    assert claim.blocked_from == event.starts_at - timedelta(minutes=30)
    assert claim.blocked_until == event.ends_at + timedelta(minutes=15)
    assert not claim.is_public  # not published yet: villagers see 已占用


def test_a_second_event_at_the_same_time_is_refused_naming_the_first(hall, author):
    services.event_submit(event=draft(hall, author), by=author)
    second = draft(hall, author, title="剪纸课")

    with pytest.raises(services.RoomClash) as refused:
        services.event_submit(event=second, by=author)

    assert "防火安全讲座" in refused.value.messages[0]
    second.refresh_from_db()
    assert second.status == Event.Status.DRAFT


def test_events_at_a_village_site_never_block(author):
    site = Venue.objects.create(name="黄安坨村委会广场", in_center=False, kind="site", village="huangantuo")
    services.event_submit(event=draft(site, author), by=author)
    services.event_submit(event=draft(site, author, title="剪纸课"), by=author)

    assert not Occupancy.objects.exists()


def test_equipment_borrowed_for_a_village_trip_clashes_like_a_room(author):
    site = Venue.objects.create(name="黄安坨村委会广场", in_center=False, kind="site", village="huangantuo")
    other_site = Venue.objects.create(name="洪水口村文化广场", in_center=False, kind="site", village="hongshuikou")
    sound = Venue.objects.create(name="便携音响", kind="resource")
    first = draft(site, author)
    first.resources.set([sound])
    services.event_submit(event=first, by=author)
    second = draft(other_site, author, title="送戏下乡")
    second.resources.set([sound])

    with pytest.raises(services.RoomClash) as refused:
        services.event_submit(event=second, by=author)

    assert "便携音响" in refused.value.messages[0]


def test_cancelling_an_event_frees_its_room(hall, author):
    event = draft(hall, author)
    services.event_submit(event=event, by=author)

    services.event_cancel(event=event, by=author, reason="天气原因")

    assert not Occupancy.objects.exists()
    services.event_submit(event=draft(hall, author, title="剪纸课"), by=author)


def test_approval_makes_the_title_public(hall, author):
    reviewer = make_staff("reviewer", "审核人")
    event = draft(hall, author)
    event.duty_staff.set([author])
    services.event_submit(event=event, by=author)

    services.event_approve(event=event, by=reviewer)

    assert event.occupancies.get().is_public


class TestAdmin:
    def change(self, client, event, **changes):
        data = {
            "title": event.title, "category": event.category, "description": event.description,
            "audiences": [a.pk for a in event.audiences.all()],
            "starts_at_0": "", "starts_at_1": "", "ends_at_0": "", "ends_at_1": "",
            "venue": event.venue_id, "setup_minutes": 0, "cleanup_minutes": 0,
            "signup_required": "on", "capacity": event.capacity, "duty_staff": [],
            "review_steps-TOTAL_FORMS": 0, "review_steps-INITIAL_FORMS": 0,
        }  # fmt: skip
        from django.utils import timezone

        for name in ("starts_at", "ends_at"):
            local = timezone.localtime(changes.pop(name, getattr(event, name)))
            data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
        data.update(changes)
        return client.post(f"/admin/activities/event/{event.pk}/change/", data)

    def test_moving_an_event_onto_another_in_the_admin_is_a_form_error(self, client, hall, author):
        first = draft(hall, author)
        services.event_submit(event=first, by=author)
        second = draft(hall, author, title="剪纸课", starts_in=timedelta(days=4))
        services.event_submit(event=second, by=author)
        client.force_login(author)

        response = self.change(client, second, starts_at=first.starts_at, ends_at=first.ends_at)

        assert response.status_code == 200
        assert "防火安全讲座" in response.content.decode()
        assert second.occupancies.get().starts_at == second.starts_at

    def test_moving_an_event_to_a_free_time_in_the_admin_moves_its_claim(self, client, hall, author):
        event = draft(hall, author)
        services.event_submit(event=event, by=author)
        client.force_login(author)
        later = (event.starts_at + timedelta(days=1)).replace(second=0, microsecond=0)

        response = self.change(client, event, starts_at=later, ends_at=later + timedelta(hours=2))

        assert response.status_code == 302, response.content.decode()[:3000]
        assert event.occupancies.get().starts_at == later


def test_the_review_page_names_the_room_held_and_warns_of_a_clash_before_submitting(client, hall, author):
    first = draft(hall, author)
    services.event_submit(event=first, by=author)
    second = draft(hall, author, title="剪纸课")
    client.force_login(author)

    held = client.get(f"/activities/{first.pk}/review/").content.decode()
    assert "文化中心多功能厅 已占用" in held
    in_the_way = client.get(f"/activities/{second.pk}/review/").content.decode()
    assert "防火安全讲座" in in_the_way and "text-danger" in in_the_way
