"""Demo quizzes and indicators: a closed 消防安全有奖知识问答 with ~150 attempts and its draw,
an open 清水非遗知识问答 drawing from a tagged bank, the needs questionnaire's 知晓 / 参与 /
满意 questions, and the villages' populations. Loaded once."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from culturecenter.models import AgeGroup, Member, Village
from feedback import quizzes
from feedback.models import (
    Answer,
    BankRule,
    Channel,
    Choice,
    Question,
    Questionnaire,
    QuizDraw,
    Response,
    VillagePopulation,
    seed_hash,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

FIRE = [
    ("火警电话是多少？", "single", [("*", "119"), ("", "110"), ("", "120"), ("", "122")]),
    ("家里油锅起火，正确的做法是？", "single", [("*", "盖上锅盖，关掉燃气"), ("", "用水浇灭"), ("", "端着锅往外跑")]),
    (
        "发现燃气泄漏，应当？（多选）",
        "multiple",
        [("*", "关闭燃气阀门"), ("*", "开窗通风"), ("", "打开抽油烟机"), ("", "打电话报警（在屋里）")],
    ),
    ("电动车可以在楼道或家里充电。", "truefalse", [("", "对"), ("*", "错")]),
    (
        "灭火器使用口诀的第一步是？",
        "single",
        [("*", "提（提起灭火器）"), ("", "压（压下把手）"), ("", "瞄（对准火焰根部）")],
    ),
    ("高层楼房着火时可以乘电梯逃生。", "truefalse", [("", "对"), ("*", "错")]),
    (
        "冬季取暖防一氧化碳中毒，应当？（多选）",
        "multiple",
        [("*", "烟道保持通畅"), ("*", "睡前检查炉火"), ("", "门窗全部封死保暖")],
    ),
    ("山林防火期可以上坟烧纸。", "truefalse", [("", "对"), ("*", "错")]),
    ("身上着火时应当？", "single", [("*", "就地打滚压灭火苗"), ("", "奔跑呼救"), ("", "用手拍打")]),
    ("逃生时用湿毛巾捂住口鼻，弯腰低姿前进。", "truefalse", [("*", "对"), ("", "错")]),
]

HERITAGE = {
    "剪纸": [
        ("黄安坨剪纸常见的题材是？", [("*", "窗花"), ("", "油画"), ("", "雕塑")]),
        ("剪纸用的主要工具是？", [("*", "剪刀和刻刀"), ("", "毛笔"), ("", "刻章")]),
        ("剪纸是国家级非物质文化遗产项目。", [("*", "对"), ("", "错")]),
        ("剪窗花通常在什么节日贴？", [("*", "春节"), ("", "端午节"), ("", "中秋节")]),
    ],
    "古道": [
        ("京西古道主要用来运送什么？", [("*", "煤炭"), ("", "丝绸"), ("", "茶叶")]),
        ("古道石板上的坑洼被称为？", [("*", "蹄窝"), ("", "脚印"), ("", "车辙")]),
        ("京西古道在门头沟区。", [("*", "对"), ("", "错")]),
    ],
    "民俗": [
        ("清水镇的传统花会在什么时候举行？", [("*", "正月"), ("", "七月"), ("", "十月")]),
        ("“转灯”是元宵节的民俗活动。", [("*", "对"), ("", "错")]),
        ("西达摩村的红叶节在什么季节？", [("*", "秋季"), ("", "春季"), ("", "夏季")]),
    ],
}

POPULATION = {
    Village.SHANG_QINGSHUI: 1320,
    Village.XIA_QINGSHUI: 1580,
    Village.YANJIATAI: 960,
    Village.HUANGANTUO: 640,
    Village.HONGSHUIKOU: 720,
    Village.XIDAMO: 510,
}


def load(stdout) -> None:
    if Questionnaire.objects.filter(is_quiz=True).exists():
        return
    rng = random.Random(119)
    staff = get_user_model().objects.get(username="staff")
    fire = _fire_quiz(rng, staff)
    _heritage_quiz(staff)
    _tag_needs_questionnaire(rng)
    for village, people in POPULATION.items():
        VillagePopulation.objects.get_or_create(
            village=village, defaults={"population": people, "as_of": date(2024, 1, 1)}
        )
    stdout.write(
        f"  quizzes: {fire.responses.count()} fire-safety attempts, draw of {fire.draw.entries.count()} entries"
    )


def _questions(quiz, rows, *, points=10, tag=""):
    for order, (text, kind, choices) in enumerate(rows):
        question = Question.objects.create(
            questionnaire=quiz, order=order, text=text, kind=kind, points=points, bank_tag=tag
        )
        Choice.objects.bulk_create(
            Choice(question=question, order=i, text=label, is_correct=mark == "*")
            for i, (mark, label) in enumerate(choices)
        )


def _fire_quiz(rng, staff) -> Questionnaire:
    opens, closes = datetime(2024, 11, 1, 8, tzinfo=SHANGHAI), datetime(2024, 11, 30, 20, tzinfo=SHANGHAI)
    quiz = Questionnaire.objects.create(
        title="消防安全有奖知识问答",
        introduction="11月9日是全国消防日。答对80分以上即可参加抽奖，共20份奖品（灭火器、应急手电），每人限领一份。",
        opens_at=opens,
        closes_at=closes,
        is_quiz=True,
        prize_threshold=80,
        prize_count=20,
        reserve_count=5,
        claim_days=14,
    )
    _questions(quiz, FIRE)
    seed = "qingshui-fire-2024-" + "".join(rng.choice("0123456789abcdef") for _ in range(16))
    draw = QuizDraw.objects.create(
        questionnaire=quiz, seed=seed, seed_sha256=seed_hash(seed), committed_by=staff, prize_count=20, reserve_count=5
    )
    QuizDraw.objects.filter(pk=draw.pk).update(committed_at=opens - timedelta(days=2))
    questions = list(quiz.questions.prefetch_related("choices"))
    members = list(Member.objects.present().exclude(mobile="").order_by("pk"))
    villages = [v for v in Village.values if v != Village.OTHER]
    for index in range(150):
        skill = rng.random()
        answers = {}
        for question in questions:
            choices = list(question.choices.all())
            right = [c for c in choices if c.is_correct]
            if rng.random() < 0.55 + 0.45 * skill:
                picked = right
            elif question.kind == "multiple":
                picked = rng.sample(choices, rng.randint(1, 2))
            else:
                picked = [rng.choice([c for c in choices if not c.is_correct])]
            answers[question] = (picked, "")
        online = index < len(members)
        response = Response.objects.create(
            questionnaire=quiz,
            member=members[index] if online else None,
            channel=Channel.WEB if online else Channel.PAPER,
            village=members[index].village if online else rng.choice(villages),
            age_group=members[index].age_group if online else rng.choice(AgeGroup.values),
            entered_by=None if online else staff,
        )
        Response.objects.filter(pk=response.pk).update(created_at=opens + timedelta(hours=index * 4 + 1))
        for question, (picked, _other) in answers.items():
            answer = Answer.objects.create(response=response, question=question)
            answer.choices.set(picked)
        quizzes.store_score(response)
    reviewer = get_user_model().objects.get(username="reviewer")
    quizzes.draw_run(questionnaire=quiz, by=reviewer, now=closes + timedelta(hours=16))
    return quiz


def _heritage_quiz(staff) -> Questionnaire:
    now = timezone.now()
    quiz = Questionnaire.objects.create(
        title="清水非遗知识问答",
        introduction="剪纸、古道、民俗，考考您对家乡非遗知道多少。每次随机抽 5 题，可以答两次，取最好成绩。",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=28),
        is_quiz=True,
        attempts_allowed=2,
        prize_threshold=40,
        prize_count=10,
        reserve_count=3,
    )
    for tag, rows in HERITAGE.items():
        kinds = [("truefalse" if text.endswith("。") else "single") for text, _c in rows]
        _questions(quiz, [(text, kind, choices) for (text, choices), kind in zip(rows, kinds, strict=True)], tag=tag)
    BankRule.objects.bulk_create(
        [
            BankRule(questionnaire=quiz, tag="剪纸", count=2),
            BankRule(questionnaire=quiz, tag="古道", count=2),
            BankRule(questionnaire=quiz, tag="民俗", count=1),
        ]
    )
    seed = "qingshui-heritage-" + timezone.localdate().isoformat()
    draw = QuizDraw.objects.create(
        questionnaire=quiz, seed=seed, seed_sha256=seed_hash(seed), committed_by=staff, prize_count=10, reserve_count=3
    )
    QuizDraw.objects.filter(pk=draw.pk).update(committed_at=quiz.opens_at - timedelta(days=1))
    return quiz


def _tag_needs_questionnaire(rng):
    survey = Questionnaire.objects.filter(title="2024 年暑期群众文化需求调查").first()
    if survey is None:
        return
    survey.questions.filter(kind="rating").update(indicator=Question.Indicator.SATISFIED)
    order = survey.questions.count()
    aware = Question.objects.create(
        questionnaire=survey,
        order=order,
        text="您知道清水镇文化中心提供的免费服务吗？",
        kind="single",
        required=False,
        indicator=Question.Indicator.AWARE,
    )
    part = Question.objects.create(
        questionnaire=survey,
        order=order + 1,
        text="最近12个月您参加过文化中心的活动吗？",
        kind="single",
        required=False,
        indicator=Question.Indicator.TAKEN_PART,
    )
    aware_choices = [
        Choice.objects.create(question=aware, order=0, text="知道", counts_as="yes"),
        Choice.objects.create(question=aware, order=1, text="听说过，不太清楚", counts_as="no"),
        Choice.objects.create(question=aware, order=2, text="不知道", counts_as="no"),
        Choice.objects.create(question=aware, order=3, text="不清楚", counts_as="unknown"),
    ]
    part_choices = [
        Choice.objects.create(question=part, order=0, text="参加过", counts_as="yes"),
        Choice.objects.create(question=part, order=1, text="没参加过", counts_as="no"),
        Choice.objects.create(question=part, order=2, text="记不清", counts_as="unknown"),
    ]
    for response in survey.responses.all():
        for question, choices, weights in ((aware, aware_choices, [62, 14, 16, 8]), (part, part_choices, [41, 52, 7])):
            answer = Answer.objects.create(response=response, question=question)
            answer.choices.set(rng.choices(choices, weights=weights))
