"""Demo data of the room calendar: the center's real rooms and equipment, the demo events in
them, the town people's-congress session and the singing contest as hosted events with their
records, the 广场舞队's weekly practice, and a few members' requests (two for the same time)."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from activities import services
from activities.models import Booking, BookingSeries, Event, Venue
from culturecenter.lib.images import clean_image

# Demo venue name → (kind, capacity, equipment, description)
ROOMS = {
    "文化中心多功能厅": (
        Venue.Kind.ROOM,
        120,
        "投影仪、音响、话筒4支、舞台灯光、120把椅子",
        "一楼，可开会、讲座、演出，镇人代会在这里召开。",
    ),
    "文化中心手工活动室": (Venue.Kind.ROOM, 30, "长桌8张、水槽、工具柜", "剪纸、掐丝珐琅等手工课。"),
    "文化中心阅览室": (Venue.Kind.ROOM, 40, "书架、阅读桌、电子阅报屏", "安静阅读，也可办读书会。"),
    "文化中心舞蹈排练厅": (Venue.Kind.ROOM, 25, "整面镜墙、把杆、音响", "二楼，舞蹈和合唱排练。"),
    "文化中心门前广场": (Venue.Kind.OUTDOOR, None, "室外电源两处", "广场舞、集市和露天演出。"),
}
RESOURCES = [
    ("便携音响（拉杆式）", "无线话筒2支，可用4小时"),
    ("折叠桌（20张）", "送文化下乡、集市摆摊用"),
    ("移动投影仪", "含幕布"),
]


# A one-page PDF, enough for the archive to open.
MINUTES_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load(stdout) -> None:
    if Booking.objects.exists() or BookingSeries.objects.exists():
        return
    User = get_user_model()
    staff = User.objects.get(username="staff")
    for name, (kind, capacity, equipment, description) in ROOMS.items():
        Venue.objects.filter(name=name).update(
            kind=kind, capacity=capacity, equipment=equipment, description=description, in_center=True
        )
    Venue.objects.filter(in_center=False).update(kind=Venue.Kind.SITE)
    for name, equipment in RESOURCES:
        Venue.objects.get_or_create(
            name=name, defaults={"kind": Venue.Kind.RESOURCE, "equipment": equipment, "in_center": True}
        )
    rooms = {v.name: v for v in Venue.objects.all()}
    hall, dance, square = rooms["文化中心多功能厅"], rooms["文化中心舞蹈排练厅"], rooms["文化中心门前广场"]
    reading = rooms["文化中心阅览室"]

    # The demo events claim their rooms, as submitting them would have.
    placed = skipped = 0
    for event in Event.objects.filter(status__in=services.HOLDS_ROOM).select_related("venue").order_by("starts_at"):
        try:
            services.event_occupancy_sync(event=event, by=staff)
            placed += 1
        except services.RoomClash:
            skipped += 1
    sound = rooms["便携音响（拉杆式）"]
    trip = Event.objects.filter(status=Event.Status.APPROVED, venue__kind=Venue.Kind.SITE).order_by("starts_at").last()
    if trip:
        trip.resources.add(sound, rooms["折叠桌（20张）"])
        try:
            services.event_occupancy_sync(event=trip, by=staff)
        except services.RoomClash:
            trip.resources.clear()

    today = timezone.localdate()

    def book(venue, day, start, end, **fields):
        try:
            return services.booking_create(
                venue=venue, starts_at=_at(day, *start), ends_at=_at(day, *end), by=staff, **fields
            )
        except services.ActivityError:
            return None

    # 配合政府工作: the congress session and the singing contest, held and recorded.
    congress_day = _next_weekday(today - timedelta(days=12), 1)
    congress = book(
        hall, congress_day, (9, 0), (12, 0), title="清水镇第八届人民代表大会第六次会议", organiser="清水镇人大主席团",
        organiser_kind="government", purpose=Booking.Purpose.HOSTED_MEETING, attendance=96, setup_minutes=60,
        cleanup_minutes=30, equipment="主席台、音响、话筒6支、投影、座位按排摆放、签到台", is_public=True,
        resources=[rooms["移动投影仪"]],
    )  # fmt: skip
    contest_day = _next_weekday(today - timedelta(days=20), 6)
    contest = book(
        hall, contest_day, (14, 0), (16, 30), title="“唱响清水”歌咏比赛", organiser="清水镇党委宣传部",
        organiser_kind="government", purpose=Booking.Purpose.HOSTED_EVENT, attendance=110, setup_minutes=90,
        cleanup_minutes=45, equipment="舞台灯光、音响、评委席、计分屏", is_public=True,
    )  # fmt: skip
    for booking in (congress, contest):
        if booking:
            booking.checked_in_at, booking.checked_in_by = booking.starts_at, staff
            booking.save(update_fields=["checked_in_at", "checked_in_by"])
    if congress:
        services.hosted_record_save(
            booking=congress, attendance=92, organisations="清水镇人大主席团、镇党委、镇政府、各村人大代表、镇纪委列席",
            summary="会议听取并审议了镇政府工作报告、财政预算执行情况报告，选举产生了新一届镇人大主席团成员。"
            "文化中心负责会场布置、签到、音响保障和会议资料归档。",
            services=["onsite", "design", "statistics", "archive"], by=staff,
        )  # fmt: skip
    if congress:
        from activities.demo import _poster  # demo.py calls this module at its end

        record = congress.record
        services.hosted_file_add(record=record, kind="minutes", title="会议纪要",
                                 file=ContentFile(MINUTES_PDF, name="minutes.pdf"), by=staff)  # fmt: skip
        services.hosted_file_add(record=record, kind="photo", title="会场",
                                 file=clean_image(_poster("service", 401)), by=staff)  # fmt: skip
    if contest:
        services.hosted_record_save(
            booking=contest, attendance=180, organisations="镇党委宣传部、各村党支部、14支村合唱队",
            summary="14支合唱队参赛，燕家台村合唱队获一等奖。观众约180人，现场秩序良好。",
            services=["execution", "onsite", "design", "statistics", "archive"], by=staff,
        )  # fmt: skip
    book(
        reading, _next_weekday(today + timedelta(days=2), 2), (14, 0), (16, 0), title="镇党委理论学习中心组学习",
        organiser="清水镇党委", organiser_kind="government", purpose=Booking.Purpose.MEETING, attendance=18,
        is_public=False,
    )  # fmt: skip
    book(
        hall, _next_weekday(today + timedelta(days=3), 3), (9, 0), (11, 0), title="2027年防汛工作部署会",
        organiser="清水镇政府应急办", organiser_kind="government", purpose=Booking.Purpose.HOSTED_MEETING,
        attendance=60, setup_minutes=30, is_public=False,
    )  # fmt: skip
    book(
        dance, _next_weekday(today + timedelta(days=8), 1), (9, 0), (12, 0), title="地板打蜡保养",
        organiser="文化中心", organiser_kind="center", purpose=Booking.Purpose.CLOSURE, attendance=1,
    )  # fmt: skip

    # The 广场舞队 practises on the square every Friday evening (错时开放), all winter.
    leader = User.objects.filter(member__mobile="13800000005").first()
    friday = _next_weekday(today - timedelta(days=21), 4)
    plan = services.series_preview(
        venue=square, weekday=4, starts_time=time(18, 30), ends_time=time(20, 30), first_date=friday,
        last_date=friday + timedelta(weeks=16), attendance=40, cleanup_minutes=0,
    )  # fmt: skip
    if plan.free:
        series = services.series_create(
            plan=plan, only_free=True, title="广场舞队每周排练", organiser="广场舞队", organiser_kind="team",
            purpose=Booking.Purpose.PRACTICE, equipment="音响", contact=leader, is_public=True, by=staff,
        )  # fmt: skip
        Booking.objects.filter(series=series, starts_at__lt=timezone.now()).update(checked_in_at=timezone.now())

    # Members' requests: two for the same Saturday afternoon, one apart.
    requesters = list(User.objects.filter(member__mobile__in=["13800000002", "13800000004", "13800000003"]))
    saturday = _next_weekday(today + timedelta(days=4), 5)
    asks = [
        (dance, saturday, (14, 0), (16, 0), "花信清水青年队排练", "花信清水", "team", "rehearsal", 18),
        (dance, saturday, (15, 0), (17, 0), "黄安坨村合唱队排练", "黄安坨村委会", "village", "rehearsal", 20),
        (reading, saturday + timedelta(days=1), (9, 30), (11, 30), "燕家台村两委学习", "燕家台村委会", "village",
         "training", 12),
    ]  # fmt: skip
    for (venue, day, start, end, title, organiser, kind, purpose, people), user in zip(asks, requesters, strict=False):
        try:
            services.request_create(
                venue=venue, starts_at=_at(day, *start), ends_at=_at(day, *end), title=title, organiser=organiser,
                organiser_kind=kind, purpose=purpose, attendance=people, by=user,
            )  # fmt: skip
        except services.ActivityError:
            pass
    stdout.write(
        f"  rooms: {placed} events on the calendar ({skipped} clashing left off), "
        f"{Booking.objects.count()} bookings, {Booking.objects.pending().count()} requests waiting"
    )


def _next_weekday(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)
