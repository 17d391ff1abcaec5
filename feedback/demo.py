"""The 2024 summer needs questionnaire, evaluations of held events and a needs board. Loaded once."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import Event, Registration
from culturecenter.models import AgeGroup, Member, Village
from feedback import demo_briefings, demo_quizzes, services
from feedback.models import (
    Answer,
    Channel,
    Choice,
    Evaluation,
    Need,
    NeedEvent,
    NeedStep,
    Question,
    Questionnaire,
    Response,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUESTIONS = [
    (
        "您对哪些活动感兴趣？（可多选）",
        "multiple",
        ["手工艺", "科普讲座", "阅读分享", "展览", "市集", "全民健身", "非遗体验", "便民服务", "文艺培训"],
        True,
    ),
    ("您最方便参加活动的时间？", "single", ["工作日白天", "工作日晚上", "周末上午", "周末下午"], False),
    (
        "是什么让您不常来文化中心？（可多选）",
        "multiple",
        ["农活忙没时间", "离家太远", "不知道有什么活动", "活动不感兴趣", "要照顾老人孩子"],
        True,
    ),
    ("您对文化中心的整体满意度", "rating", [], False),
    ("您家每周大约读书几小时？", "number", [], False),
    ("您最希望文化中心新增什么？", "long", [], False),
]
WISHES = [
    "希望多办书法班",
    "想学手机拍照",
    "周末能有亲子手工",
    "老年人健康讲座多一些",
    "希望晚上开放到九点",
    "想要广场舞新曲目",
    "给孩子开个绘画班",
    "多来村里办活动",
    "希望有电影放映",
    "农业技术培训",
]
NEEDS = [
    ("arts", "xidamo", "希望周末上午开设老年书法班，我们村好几位老人想学。", "delivered"),
    ("handicraft", "huangantuo", "想给孩子们办个剪纸兴趣班，寒假每周一次。", "scheduled"),
    ("science", "yanjiatai", "请来讲讲智能手机怎么用，防诈骗。", "accepted"),
    ("fitness", "xiaqingshui", "广场舞队想学新曲目，请老师来教《清水谣》第二段。", "evaluated"),
    ("service", "hongshuikou", "村里老人想免费拍证件照，办社保卡要用。", "delivered"),
    ("reading", "shangqingshui", "晚上能不能开个读书会，白天要干农活。", "reviewing"),
    ("exhibition", "xidamo", "想办一次红叶节摄影展，展出村民自己拍的照片。", "received"),
    ("market", "xiaqingshui", "跳蚤市场能不能每月办一次？", "reviewing"),
    ("heritage", "hongshuikou", "端午节想包粽子、做香囊。", "accepted"),
    ("arts", "yanjiatai", "孩子想学葫芦丝。", "received"),
    ("science", "huangantuo", "核桃病虫害防治讲座。", "scheduled"),
    ("other", "other", "希望文化中心门口装一个充电桩。", "declined"),
    ("service", "shangqingshui", "希望有人上门帮行动不便的老人借书。", "accepted"),
    ("handicraft", "xidamo", "风筝课再办一次吧！", "delivered"),
    ("reading", "yanjiatai", "希望多买些大字版的书，老人看得清楚。", "received"),
    ("fitness", "hongshuikou", "冬天能不能在室内跳舞？", "reviewing"),
    ("arts", "xiaqingshui", "花信清水摄影团队想办个展览。", "evaluated"),
    ("other", "huangantuo", "村里网速太慢，能不能装宽带。", "declined"),
    ("heritage", "shangqingshui", "想学掐丝珐琅，听说很好看。", "received"),
    ("science", "xidamo", "讲讲防火安全，冬天取暖要注意什么。", "delivered"),
]
PATH = ["received", "reviewing", "accepted", "scheduled", "delivered", "evaluated"]
REPLIES = {
    "reviewing": "已收到，正在了解老师和场地情况。",
    "accepted": "好的，我们来安排！",
    "scheduled": "已安排活动，欢迎报名。",
    "delivered": "活动已举办，谢谢大家参加。",
    "evaluated": "参加的村民评价很好，我们会继续办。",
    "declined": "这件事不在文化中心的服务范围内，已转告镇里相关部门。",
}


def load(stdout) -> None:
    if not Questionnaire.objects.exists():
        _load(stdout)
    demo_briefings.load(stdout)


def _load(stdout) -> None:
    rng = random.Random(2024)
    staff = get_user_model().objects.get(username="staff")
    _questionnaire(rng, staff)
    _open_questionnaire()
    _evaluations(rng, staff)
    _needs(rng, staff)
    stdout.write(
        f"  feedback: {Response.objects.count()} questionnaire responses, {Evaluation.objects.count()} evaluations, "
        f"{Need.objects.count()} needs"
    )
    demo_quizzes.load(stdout)


def _questionnaire(rng, staff):
    questionnaire = Questionnaire.objects.create(
        title="2024 年暑期群众文化需求调查",
        introduction="为了办好大家喜欢的活动，请花两分钟填写。以需定供，您的意见决定我们办什么。",
        opens_at=datetime(2024, 6, 15, tzinfo=SHANGHAI),
        closes_at=datetime(2024, 9, 15, tzinfo=SHANGHAI),
    )
    questions = []
    for order, (text, kind, choices, other) in enumerate(QUESTIONS):
        question = Question.objects.create(
            questionnaire=questionnaire,
            order=order,
            text=text,
            kind=kind,
            allow_other=other,
            required=order < 4,
            max_value=168 if kind == "number" else None,  # hours in a week
        )
        Choice.objects.bulk_create(Choice(question=question, order=i, text=t) for i, t in enumerate(choices))
        questions.append((question, list(question.choices.all())))
    villages = [v for v in Village.values if v != Village.OTHER]
    channels = [Channel.WEB] * 4 + [Channel.PAPER] * 3 + [Channel.WECHAT] * 2 + [Channel.SYMPOSIUM, Channel.VISIT]
    for _index in range(200):
        channel = rng.choice(channels)
        response = Response.objects.create(
            questionnaire=questionnaire,
            channel=channel,
            village=rng.choice(villages),
            age_group=rng.choice(AgeGroup.values),
            entered_by=None if channel == Channel.WEB else staff,
        )
        for question, choices in questions:
            if question.kind == "multiple":
                answer = Answer.objects.create(response=response, question=question)
                answer.choices.set(rng.sample(choices, rng.randint(1, 3)))
            elif question.kind == "single":
                answer = Answer.objects.create(response=response, question=question)
                answer.choices.set([rng.choice(choices)])
            elif question.kind == "rating":
                Answer.objects.create(response=response, question=question, number=rng.choice([3, 4, 4, 5, 5, 5]))
            elif question.kind == "number":
                Answer.objects.create(response=response, question=question, number=rng.randint(0, 12))
            elif rng.random() < 0.4:
                Answer.objects.create(response=response, question=question, text=rng.choice(WISHES))


def _open_questionnaire():
    """One open now, so the demo can be answered from a phone."""
    now = timezone.now()
    questionnaire = Questionnaire.objects.create(
        title="冬季文化活动需求征集",
        introduction="天冷了，您希望文化中心冬天办些什么？匿名填写，两分钟就好。",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=40),
        anonymous=True,
    )
    for order, (text, kind, choices, other) in enumerate(QUESTIONS):
        question = Question.objects.create(
            questionnaire=questionnaire, order=order, text=text, kind=kind, allow_other=other, required=order < 2
        )
        Choice.objects.bulk_create(Choice(question=question, order=i, text=t) for i, t in enumerate(choices))


def _evaluations(rng, staff):
    now = timezone.now()
    for event in Event.objects.filter(status=Event.Status.APPROVED, ends_at__lt=now).order_by("starts_at"):
        attendees = list(Registration.objects.filter(event=event, checked_in_at__isnull=False).select_related("member"))
        if not attendees and rng.random() < 0.5:
            continue
        for registration in rng.sample(attendees, min(len(attendees), rng.randint(0, 6))):
            Evaluation.objects.create(
                event=event,
                member=registration.member,
                rating=rng.choice([3, 4, 5, 5, 5]),
                liked=rng.choice(["老师讲得很细致", "孩子特别喜欢", "很热闹", ""]),
                wish=rng.choice(WISHES + [""]),
            )
        for _slip in range(rng.randint(0, 3)):
            Evaluation.objects.create(
                event=event, rating=rng.choice([4, 5]), channel=Channel.PAPER, entered_by=staff, liked="纸质评价表"
            )


def _needs(rng, staff):
    members = list(Member.objects.present()[:40])
    events = list(Event.objects.filter(status=Event.Status.APPROVED).order_by("starts_at"))
    for index, (category, village, text, final) in enumerate(NEEDS):
        need = Need.objects.create(
            category=category, village=village, text=text, posted_by=members[index % len(members)], state=final
        )
        Need.objects.filter(pk=need.pk).update(created_at=timezone.now() - timedelta(days=90 - index * 3))
        NeedStep.objects.create(need=need, state="received")
        steps = ["reviewing", "declined"] if final == "declined" else PATH[1 : PATH.index(final) + 1]
        for state in steps:
            NeedStep.objects.create(need=need, state=state, reply=REPLIES[state], by=staff)
        if final in ("scheduled", "delivered", "evaluated"):
            candidates = [e for e in events if e.category == category] or events
            NeedEvent.objects.create(need=need, event=rng.choice(candidates), notified_at=timezone.now())
        for supporter in rng.sample(members, rng.randint(0, 12)):
            if supporter != need.posted_by:
                services.need_support(need=need, member=supporter)
