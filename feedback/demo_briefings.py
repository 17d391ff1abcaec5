"""The 2024 summer in the records — events with tickets and walk-ins, evaluations, needs, loans,
late opening to 21:00 — and its 工作简报 signed off as 2024年第3期 with next steps; the two
earlier 2024 issues (first and second quarter) so that the numbering reads as the center's did;
and a draft for the current month. Loaded once."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities import tickets
from activities.models import AudienceTag, Event, Registration, Venue
from culturecenter.models import Member, OpeningPeriod, OpeningSchedule
from feedback.briefings import services
from feedback.models import Briefing, Evaluation, Need, NeedEvent, NeedStep, Questionnaire, Response
from lending.models import Copy, Loan

SHANGHAI = ZoneInfo("Asia/Shanghai")

# title, category, venue name, audiences, day, hour, capacity, status
SUMMER_EVENTS = [
    ("暑期少儿书法班（第一期）", "arts", "文化中心多功能厅", ["minors"], date(2024, 7, 9), 9, 20, "approved"),
    (
        "“书香伴我行”暑期阅读启动式",
        "reading",
        "文化中心阅览室",
        ["minors", "family"],
        date(2024, 7, 1),
        19,
        40,
        "approved",
    ),
    ("掐丝珐琅非遗体验", "heritage", "文化中心手工活动室", ["everyone"], date(2024, 7, 13), 14, 15, "approved"),
    ("防溺水安全知识讲座", "science", "文化中心多功能厅", ["minors", "family"], date(2024, 7, 16), 19, 60, "approved"),
    ("文化下乡·电影放映", "other", "黄安坨村委会广场", ["everyone"], date(2024, 7, 20), 20, 200, "approved"),
    ("老年人智能手机课堂", "service", "文化中心多功能厅", ["elderly"], date(2024, 7, 23), 9, 30, "approved"),
    ("亲子共读绘本会", "reading", "文化中心阅览室", ["family", "minors"], date(2024, 7, 27), 19, 25, "approved"),
    ("广场舞展演", "fitness", "文化中心门前广场", ["everyone"], date(2024, 8, 3), 19, 100, "approved"),
    ("文化下乡·京西太平鼓", "heritage", "洪水口村文化广场", ["everyone"], date(2024, 8, 6), 15, 80, "cancelled"),
    ("剪纸体验（残疾人专场）", "handicraft", "文化中心手工活动室", ["disabled"], date(2024, 8, 10), 9, 12, "approved"),
    ("文化下乡·健康义诊", "service", "西达摩村红叶谷", ["elderly", "hardship"], date(2024, 8, 14), 9, 50, "approved"),
    ("暑期阅读分享会", "reading", "文化中心阅览室", ["minors"], date(2024, 8, 24), 19, 30, "approved"),
    ("文化下乡·非遗剪纸", "handicraft", "燕家台村文化大院", ["everyone"], date(2024, 8, 28), 14, 20, "approved"),
]
COMMENTS = ["时间能不能早一点", "音响有点小，后排听不清", "希望多办几期", "座位不够", ""]

TEXTS = {
    "overview": (
        "暑期（7—8月）中心实行延时开放至21:00，围绕“书香伴我行”阅读打卡和暑期需求调查开展活动。"
        "各项数据均由系统按记录计算，下表与去年同期对比。"
    ),
    "activities": (
        "暑期活动以少儿、亲子和老年人为重点，文化下乡到黄安坨、西达摩、燕家台等村；"
        "8月6日洪水口京西太平鼓因暴雨取消，不计入场次。"
    ),
    "evaluation": "每场活动都请参加的村民评价。评价较低的主要意见集中在场地和时间安排，已在下步打算中回应。",
    "supply": "书法、阅读类活动报名满员并有候补，需求明显超过供给，下期增加场次。",
    "venues": "暑期每周开放时间超过标准，晚间开放占比达到错时延时开放的要求。",
    "reading": "“书香伴我行”暑期借阅打卡带动了少儿借阅。",
    "issues": "针对需求超过供给和评价中的意见，提出以下打算。",
}


def load(stdout) -> None:
    if Briefing.objects.exists():
        return
    User = get_user_model()
    staff, reviewer = User.objects.get(username="staff"), User.objects.get(username="reviewer")
    rng = random.Random(2407)
    _summer_hours()
    events = _summer_events(rng, staff)
    _summer_questionnaire_dates(rng)
    needs = _summer_needs(rng, staff, events)
    _summer_loans(rng)
    signed_on = datetime(2024, 9, 5, 10, tzinfo=SHANGHAI)
    for number, (first, last, title) in enumerate(
        [
            (date(2024, 1, 1), date(2024, 3, 31), "2024年第一季度"),
            (date(2024, 4, 1), date(2024, 6, 30), "2024年第二季度"),
        ],
        start=1,
    ):
        briefing = services.briefing_create(title=title, first=first, last=last, by=staff)
        services.briefing_write(
            briefing=briefing,
            texts={"overview": "本期简报印发于门户启用之前，活动记录以纸质档案为准；门户中本期各项数据为无数据。"},
            by=staff,
        )
        services.briefing_sign(
            briefing=briefing, by=reviewer, now=datetime(2024, 3 * number + 1, 8, 10, tzinfo=SHANGHAI)
        )
    summer = services.briefing_create(title="2024年暑期", first=date(2024, 7, 1), last=date(2024, 8, 31), by=staff)
    services.briefing_write(briefing=summer, texts=TEXTS, by=staff)
    lowest = Evaluation.objects.filter(event__in=events, rating__lte=3).exclude(improve="")[:2]
    services.next_step_add(
        briefing=summer,
        text="秋季开设少儿书法班第二期，名额由20人增至30人",
        needs=[needs["书法"]],
        by=staff,
    )
    services.next_step_add(
        briefing=summer,
        text="多功能厅更换音响，讲座前调试；座位不够时加设第二场",
        evaluations=list(lowest),
        by=staff,
    )
    upcoming = Event.objects.filter(status=Event.Status.APPROVED, ends_at__gt=timezone.now()).order_by("starts_at")
    services.next_step_add(
        briefing=summer,
        text="继续到洪水口村补办京西太平鼓下乡演出",
        events=list(upcoming.filter(category="heritage")[:1]),
        by=staff,
    )
    services.briefing_sign(briefing=summer, by=reviewer, now=signed_on)
    today = timezone.localdate()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    draft = services.briefing_create(title=f"{today.year}年{today.month}月", first=first, last=last, by=staff)
    services.briefing_write(
        briefing=draft,
        texts={"overview": "本月为冬季开放时间，迎新年联欢12月31日延时开放至21:30。（草稿，数据随记录更新）"},
        by=staff,
    )
    stdout.write(f"  briefings: {Briefing.objects.signed().count()} signed off (2024年第3期 the summer), 1 draft")


def _summer_hours():
    schedule, created = OpeningSchedule.objects.get_or_create(
        valid_from=date(2024, 7, 1), defaults={"name": "暑期延时开放（至21:00）", "valid_until": date(2024, 8, 31)}
    )
    if created:
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(schedule=schedule, weekday=day, opens=time(9), closes=time(21)) for day in range(1, 7)
        )


def _summer_events(rng, staff) -> list[Event]:
    people = list(Member.objects.present().order_by("pk"))
    tags = {tag.code: tag for tag in AudienceTag.objects.all()}
    events = []
    for title, category, venue_name, audiences, day, hour, capacity, status in SUMMER_EVENTS:
        venue = Venue.objects.filter(name=venue_name).first() or Venue.objects.create(name=venue_name)
        starts = datetime.combine(day, time(hour), tzinfo=SHANGHAI)
        event = Event(
            title=title,
            category=category,
            description=f"{title}。2024年暑期活动。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            venue=venue,
            capacity=capacity,
            signup_opens_at=starts - timedelta(days=10),
            status=status,
            created_by=staff,
            cancel_reason="暴雨预警" if status == "cancelled" else "",
            closed_at=starts + timedelta(hours=3) if status == "approved" else None,
        )
        event.refresh_search(audiences=audiences)
        event.save()
        event.audiences.set([tags[code] for code in audiences])
        if status == "approved":
            _attendance(event, people, rng, staff)
        events.append(event)
    return events


def _attendance(event, people, rng, staff):
    signed_up = rng.sample(people, min(len(people), event.capacity + (3 if event.capacity <= 20 else 0)))
    for index, member in enumerate(signed_up):
        waiting = index >= event.capacity
        came = not waiting and rng.random() < 0.8
        Registration.objects.create(
            event=event,
            member=member,
            status="waiting" if waiting else "confirmed",
            code=tickets.new_code(),
            queued_at=event.starts_at - timedelta(days=5, minutes=index),
            checked_in_at=event.starts_at + timedelta(minutes=rng.randint(-10, 15)) if came else None,
            checked_in_by=staff if came else None,
            no_show=not waiting and not came,
        )
    others = [p for p in people if p not in signed_up]
    for member in rng.sample(others, min(len(others), rng.randint(0, 4))):
        Registration.objects.create(
            event=event,
            member=member,
            status="confirmed",
            code=tickets.new_code(),
            is_walk_in=True,
            registered_by=staff,
            checked_in_at=event.starts_at + timedelta(minutes=5),
            checked_in_by=staff,
        )
    attendees = list(Registration.objects.filter(event=event, checked_in_at__isnull=False).select_related("member"))
    for registration in rng.sample(attendees, min(len(attendees), rng.randint(3, 9))):
        rating = rng.choice([3, 4, 4, 5, 5, 5]) if "讲座" not in event.title else rng.choice([2, 3, 3, 4, 5])
        Evaluation.objects.create(
            event=event,
            member=registration.member,
            rating=rating,
            improve=rng.choice(COMMENTS) if rating <= 3 else "",
            liked="" if rating <= 3 else rng.choice(["老师讲得很细致", "孩子特别喜欢", "晚上开放很方便"]),
        )


def _summer_questionnaire_dates(rng):
    """The summer questionnaire's answers are dated within its window (loaded all at once)."""
    questionnaire = Questionnaire.objects.filter(title="2024 年暑期群众文化需求调查").first()
    if questionnaire is None:
        return
    start = datetime(2024, 6, 20, 9, tzinfo=SHANGHAI)
    for pk in questionnaire.responses.values_list("pk", flat=True):
        Response.objects.filter(pk=pk).update(created_at=start + timedelta(hours=rng.randint(0, 60 * 24)))


def _summer_needs(rng, staff, events) -> dict:
    members = list(Member.objects.present()[:30])
    made = {}
    rows = [
        ("书法", "arts", "shangqingshui", "暑假想让孩子学书法，希望开个班，名额多一些", "accepted", date(2024, 7, 3)),
        ("剪纸", "handicraft", "yanjiatai", "想在村里学剪纸，老人孩子都能参加", "scheduled", date(2024, 7, 8)),
        ("电影", "other", "huangantuo", "夏天晚上能不能到村里放电影", "delivered", date(2024, 7, 5)),
        ("太平鼓", "heritage", "hongshuikou", "想看京西太平鼓表演", "received", date(2024, 7, 20)),
    ]
    by_title = {e.title: e for e in events}
    links = {"剪纸": "文化下乡·非遗剪纸", "电影": "文化下乡·电影放映"}
    for key, category, village, text, state, posted in rows:
        need = Need.objects.create(
            category=category, village=village, text=text, posted_by=members[len(made)], state=state
        )
        at = datetime.combine(posted, time(20), tzinfo=SHANGHAI)
        Need.objects.filter(pk=need.pk).update(created_at=at)
        NeedStep.objects.create(need=need, state="received")
        if key in links:
            NeedEvent.objects.create(
                need=need, event=by_title[links[key]], linked_by=staff, linked_at=at, notified_at=at
            )
        for supporter in rng.sample(members, rng.randint(2, 9)):
            if supporter != need.posted_by:
                need.supports.get_or_create(member=supporter)
        need.support_count = need.supports.count()
        need.save(update_fields=["support_count"])
        made[key] = need
    return made


def _summer_loans(rng):
    readers = list(Member.objects.present().filter(reader_card__isnull=False)[:40])
    copies = list(Copy.objects.all()[:60])
    if not readers or not copies:
        return
    for n in range(90):
        lent = datetime(2024, 7, 1, 10, tzinfo=SHANGHAI) + timedelta(days=rng.randint(0, 61), minutes=n)
        Loan.objects.create(
            copy=rng.choice(copies),
            member=rng.choice(readers),
            loaned_at=lent,
            due_date=lent.date() + timedelta(days=30),
            returned_at=lent + timedelta(days=rng.randint(3, 25)),
        )
