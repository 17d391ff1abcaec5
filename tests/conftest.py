"""Shared personas and small factories. Data is made with plain ORM calls.

The cache (login throttling) lives in the database, so each test's rollback
clears it too."""

import importlib
import itertools
from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from culturecenter import roles
from culturecenter.models import Household, Member, OpeningPeriod, OpeningSchedule, User, Village

PASSWORD = "correct-horse-42"
_mobiles = itertools.count(13900000001)


# Rows that data migrations make (role groups, audiences); a transactional test's flush removes them.
DATA_MIGRATIONS = [
    ("culturecenter", "0002_roles", "create_roles"),
    ("activities", "0002_audiences_and_roles", "forwards"),
    ("activities", "0012_room_permissions", "forwards"),
    ("activities", "0014_volunteer_roles", "forwards"),
    ("activities", "0017_news_roles", "forwards"),
    ("activities", "0019_teams_and_courses_roles", "forwards"),
    ("lending", "0002_roles_and_rules", "forwards"),
    ("lending", "0004_campaign_roles", "forwards"),
    ("feedback", "0002_roles", "forwards"),
    ("feedback", "0009_quiz_roles", "forwards"),
    ("feedback", "0012_briefing_roles", "forwards"),
]


def pytest_configure(config):
    """Hashing passwords at production strength was most of the suite's time (as healthchecks does)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _private_media_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("private-media")


@pytest.fixture(autouse=True)
def _private_media_in_a_temporary_folder(settings, _private_media_folder):
    """Private uploads made by tests never land in the project's own private-media folder."""
    settings.PRIVATE_MEDIA_ROOT = _private_media_folder


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts from an empty database; the process's cached pages must go too."""
    from culturecenter.lib import pagecache

    pagecache.forget_local()


@pytest.fixture(autouse=True)
def _data_migration_rows(request):
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    for app, name, function in DATA_MIGRATIONS:
        state = loader.project_state((app, name))
        module = importlib.import_module(f"{app}.migrations.{name}")
        getattr(module, function)(state.apps, None)


def make_villager(*, name="王建华", mobile=None, village=Village.XIA_QINGSHUI, birth_year=1986) -> Member:
    """A villager with a login and a household they manage."""
    mobile = mobile or str(next(_mobiles))
    user = User.objects.create_user(username=f"v-{mobile}", password=PASSWORD)
    member = Member.objects.create(
        user=user,
        household=Household.objects.create(name=name),
        name=name,
        mobile=mobile,
        village=village,
        birth_year=birth_year,
    )
    member.assign_reader_card()
    return member


def make_dependant(guardian: Member, *, name="王小雨", birth_year=2017) -> Member:
    member = Member.objects.create(
        household=guardian.household, name=name, village=guardian.village, birth_year=birth_year
    )
    member.assign_reader_card()
    return member


def make_staff(username="staff", role=roles.STAFF) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_regular_schedule(periods=None) -> OpeningSchedule:
    """Tuesday to Sunday 9:00–17:00 unless other (weekday, opens, closes) are given."""
    schedule = OpeningSchedule.objects.create(name="常规开放时间")
    if periods is None:
        periods = [(day, time(9), time(17)) for day in range(1, 7)]
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(schedule=schedule, weekday=day, opens=opens, closes=closes) for day, opens, closes in periods
    )
    return schedule


@pytest.fixture
def villager(db):
    return make_villager()


@pytest.fixture
def other_villager(db):
    return make_villager(name="李秀兰", village=Village.SHANG_QINGSHUI, birth_year=1990)


@pytest.fixture
def villager_client(client, villager):
    client.force_login(villager.user)
    return client


@pytest.fixture
def staff_user(db):
    return make_staff()


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def make_event(
    *,
    title="掐丝珐琅非遗体验",
    capacity=10,
    starts_in=timedelta(days=3),
    status="approved",
    author=None,
    venue=None,
    category="heritage",
    audiences=("everyone",),
    **fields,
):
    """A published event three days ahead with sign-up open, unless told otherwise."""
    from activities.models import AudienceTag, Event, Venue

    starts = timezone.now() + starts_in
    venue = venue or Venue.objects.get_or_create(name="文化中心手工活动室", defaults={"in_center": True})[0]
    event = Event(
        title=title,
        category=category,
        description=fields.pop("description", "在非遗传承人指导下完成一件小作品。"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue=venue,
        capacity=capacity,
        signup_opens_at=fields.pop("signup_opens_at", timezone.now() - timedelta(days=7)),
        status=status,
        created_by=author,
        **fields,
    )
    event.refresh_search(audiences=list(audiences))
    event.save()
    event.audiences.set(AudienceTag.objects.filter(code__in=audiences))
    return event


def sign_up(event, member, *, status="confirmed", **fields):
    """A registration written directly, for arranging a scene (the services are tested on their own)."""
    from activities import tickets
    from activities.models import Registration

    return Registration.objects.create(event=event, member=member, status=status, code=tickets.new_code(), **fields)


@pytest.fixture
def reviewer(db):
    return make_staff("reviewer", roles.REVIEWER)


@pytest.fixture
def event(db):
    return make_event()


_barcodes = itertools.count(1)


def make_book(title="平凡的世界", *, copies=1, author="路遥", isbn="", class_letter="I", **fields):
    from lending.models import Book, Copy

    book = Book(title=title, author=author, isbn=isbn, class_letter=class_letter, **fields)
    book.refresh_search()
    book.save()
    for _number in range(copies):
        Copy.objects.create(book=book, barcode=f"B{next(_barcodes):08d}")
    return book


def lend(copy, member, *, days_ago=0, due_in=30):
    """A loan written directly, for arranging a scene."""
    from lending.models import Copy, Loan

    lent = timezone.now() - timedelta(days=days_ago)
    copy.status = Copy.Status.ON_LOAN
    copy.save(update_fields=["status"])
    return Loan.objects.create(
        copy=copy, member=member, loaned_at=lent, due_date=timezone.localdate() + timedelta(days=due_in - days_ago)
    )


@pytest.fixture
def librarian(db):
    return make_staff("librarian", roles.LIBRARIAN)


@pytest.fixture
def desk(client, librarian):
    client.force_login(librarian)
    return client


def read_qr(image) -> list[tuple[str, str]]:
    """What a phone reads from a picture (PIL image, PNG bytes or segno's inline SVG): (text, symbology) pairs.
    Micro QR is reported as such, so a test can tell that a phone camera would not read it."""
    import io
    import re

    import zxingcpp
    from PIL import Image, ImageDraw

    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    elif isinstance(image, str):  # segno's SVG: one path of horizontal runs, "M x y" then "h n" / "m dx dy"
        size = int(re.search(r'viewBox="0 0 (\d+) ', image).group(1))
        scale = int(re.search(r"scale\((\d+)\)", image).group(1)) if "scale(" in image else 1
        path = re.search(r'class="qrline"[^>]* d="([^"]+)"', image).group(1)
        picture = Image.new("L", (size * 4, size * 4), 255)
        draw, x, y = ImageDraw.Draw(picture), 0.0, 0.0
        for command, numbers in re.findall(r"([Mmh])([-\d. ]+)", path):
            values = [float(n) for n in numbers.split()]
            if command == "M":
                x, y = values
            elif command == "m":
                x, y = x + values[0], y + values[1]
            else:
                box = [x * scale * 4, (y - 0.5) * scale * 4, (x + values[0]) * scale * 4 - 1, (y + 0.5) * scale * 4 - 1]
                draw.rectangle(box, fill=0)
                x += values[0]
        image = picture
    return [(result.text, result.format.name) for result in zxingcpp.read_barcodes(image.convert("L"))]
