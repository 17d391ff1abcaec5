"""Demo events from the source article, over the last three months and the next month.
Loaded by `seed_demo` once: nothing happens if events exist already."""

import io
import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from activities import demo_news, demo_rooms, demo_teams, demo_volunteers, services, tickets
from activities.models import AudienceTag, Event, Presenter, Registration, ReviewStep, Venue, WorkLog
from culturecenter.lib.images import clean_image, thumbnail
from culturecenter.models import Member, Village

V = Village
VENUES = {
    "hall": ("文化中心多功能厅", "", True),
    "reading": ("文化中心阅览室", "", True),
    "craft": ("文化中心手工活动室", "", True),
    "dance": ("文化中心舞蹈排练厅", "", True),
    "square": ("文化中心门前广场", "", True),
    "huangantuo": ("黄安坨村委会广场", V.HUANGANTUO, False),
    "hongshuikou": ("洪水口村文化广场", V.HONGSHUIKOU, False),
    "xidamo": ("西达摩村红叶谷", V.XIDAMO, False),
    "shangqingshui": ("上清水村民活动室", V.SHANG_QINGSHUI, False),
    "yanjiatai": ("燕家台村文化大院", V.YANJIATAI, False),
}
PRESENTERS = {
    "wang": ("王秀芝", "teacher", "清水镇手工艺协会", "vetted"),
    "li": ("李建军", "speaker", "门头沟区消防救援支队", "vetted"),
    "zhang": ("张婷", "teacher", "京西茶文化研究会", "vetted"),
    "chen": ("陈明远", "speaker", "首都师范大学文学院", "vetted"),
    "liu": ("刘永福", "teacher", "景泰蓝非遗工作室", "vetted"),
    "yang": ("杨红", "teacher", "清水镇广场舞队", "vetted"),
    "zhao": ("赵桂兰", "performer", "黄安坨剪纸艺人", "vetted"),
    "sun": ("孙浩然", "speaker", "北京天文馆科普志愿者", "pending"),
}
# (title, category, venue, presenters, audiences, day offset, start hour, hours, capacity, description)
EVENTS = [
    (
        "精油皂手工制作",
        "handicraft",
        "craft",
        ["wang"],
        ["family", "everyone"],
        -84,
        14,
        2,
        20,
        "用天然精油和皂基做一块属于自己的香皂，亲子家庭优先。材料由文化中心免费提供。",
    ),
    (
        "安全知识讲座：冬季防火",
        "science",
        "hall",
        ["li"],
        ["everyone", "elderly"],
        -80,
        9,
        2,
        60,
        "消防队员讲解冬季取暖、用电、燃气安全，现场演示灭火器使用。",
    ),
    (
        "阅读分享会：古典文学的悲观爱情",
        "reading",
        "reading",
        ["chen"],
        ["everyone"],
        -77,
        19,
        2,
        30,
        "从《孔雀东南飞》到《红楼梦》，聊聊古典文学里的爱情与命运。",
    ),
    (
        "串珠手链亲子课",
        "handicraft",
        "craft",
        ["wang"],
        ["family", "minors"],
        -73,
        14,
        2,
        16,
        "家长和孩子一起设计、串制手链，锻炼孩子的动手能力。",
    ),
    (
        "红色革命烈士事迹展",
        "exhibition",
        "hall",
        [],
        ["everyone"],
        -70,
        9,
        8,
        0,
        "图片与实物展示门头沟地区革命烈士事迹，欢迎村民自由参观。",
    ),
    (
        "欢歌笑舞广场舞",
        "fitness",
        "square",
        ["yang"],
        ["everyone", "elderly"],
        -66,
        19,
        1,
        40,
        "跟着广场舞队一起跳《清水谣》，零基础也能学会。",
    ),
    (
        "茶文化讲座：京西山茶",
        "science",
        "hall",
        ["zhang"],
        ["everyone"],
        -63,
        14,
        2,
        40,
        "了解茶的种类与冲泡方法，现场品鉴京西山区的野生茶。",
    ),
    (
        "风筝扎制与放飞",
        "handicraft",
        "square",
        ["wang"],
        ["family", "minors"],
        -59,
        9,
        3,
        20,
        "学习传统沙燕风筝的扎制，做好后在广场上一起放飞。",
    ),
    (
        "掐丝珐琅非遗体验",
        "heritage",
        "craft",
        ["liu"],
        ["everyone"],
        -56,
        14,
        3,
        12,
        "在非遗传承人指导下完成一件掐丝珐琅小作品，体验景泰蓝工艺。",
    ),
    ("环保跳蚤市场", "market", "square", [], ["everyone"], -52, 9, 4, 0, "带上闲置物品来交换或义卖，倡导绿色生活。"),
    (
        "免费拍摄证件照（老年人专场）",
        "service",
        "hall",
        [],
        ["elderly", "disabled"],
        -49,
        9,
        3,
        30,
        "为 60 岁以上老人和残疾人免费拍摄证件照，当场打印。",
    ),
    (
        "黄安坨爱国主义剪纸",
        "heritage",
        "huangantuo",
        ["zhao"],
        ["everyone", "minors"],
        -45,
        14,
        2,
        25,
        "文化下乡：剪纸艺人赵桂兰老师在村里教大家剪红色主题窗花。",
    ),
    (
        "阅读分享会：探索未知世界",
        "reading",
        "reading",
        ["chen"],
        ["minors", "family"],
        -42,
        15,
        2,
        30,
        "和孩子们一起读科普绘本，聊聊宇宙、海洋和恐龙。",
    ),
    (
        "拓印体验：古碑与树叶",
        "heritage",
        "craft",
        ["liu"],
        ["family", "minors"],
        -38,
        14,
        2,
        16,
        "学习传统拓印技法，拓一张古碑纹样和一张树叶标本。",
    ),
    (
        "舞蹈基础课（第一期）",
        "arts",
        "dance",
        ["yang"],
        ["everyone"],
        -35,
        19,
        2,
        20,
        "面向零基础村民的舞蹈基础课程：站姿、节奏与基本步伐。",
    ),
    (
        "西达摩红叶节",
        "heritage",
        "xidamo",
        [],
        ["everyone"],
        -31,
        10,
        4,
        0,
        "文化下乡：红叶谷里的文艺演出、摄影和手工市集。",
    ),
    (
        "燃气安全进村讲座",
        "science",
        "yanjiatai",
        ["li"],
        ["elderly", "everyone"],
        -28,
        14,
        2,
        40,
        "文化下乡：手把手教老人检查燃气管道和报警器。",
    ),
    (
        "精油皂手工制作（第二期）",
        "handicraft",
        "craft",
        ["wang"],
        ["family"],
        -24,
        14,
        2,
        20,
        "上一期报名火爆，应群众需求加开一期。",
    ),
    (
        "困难群众文化关爱活动",
        "service",
        "shangqingshui",
        [],
        ["hardship", "elderly"],
        -21,
        9,
        3,
        30,
        "为困难家庭送书、送春联，并免费理发。",
    ),
    (
        "花信清水青少年摄影课",
        "arts",
        "hall",
        [],
        ["minors"],
        -17,
        15,
        2,
        20,
        "青少年文艺团队“花信清水”的摄影基础课，用手机拍出好照片。",
    ),
    (
        "茶艺体验课",
        "science",
        "reading",
        ["zhang"],
        ["everyone"],
        -14,
        14,
        2,
        16,
        "学习泡茶、奉茶的礼仪，体验一场小型茶会。",
    ),
    (
        "欢歌笑舞广场舞（秋季班）",
        "fitness",
        "square",
        ["yang"],
        ["elderly", "everyone"],
        -10,
        19,
        1,
        40,
        "秋季广场舞学习班，每次学一个新动作。",
    ),
    (
        "洪水口端午特别活动回顾展",
        "exhibition",
        "hongshuikou",
        [],
        ["everyone"],
        -7,
        9,
        8,
        0,
        "文化下乡：展出今年洪水口端午活动的照片和村民作品。",
    ),
    (
        "阅读分享会：我读《平凡的世界》",
        "reading",
        "reading",
        [],
        ["everyone", "elderly"],
        -4,
        19,
        2,
        25,
        "老年读者分享读书心得，欢迎年轻人一起来听。",
    ),
    (
        "串珠手工（残疾人专场）",
        "handicraft",
        "craft",
        ["wang"],
        ["disabled"],
        -2,
        14,
        2,
        12,
        "为残疾朋友开设的串珠手工课，志愿者一对一协助。",
    ),
    # upcoming
    (
        "掐丝珐琅非遗体验（冬季班）",
        "heritage",
        "craft",
        ["liu"],
        ["everyone"],
        2,
        14,
        3,
        12,
        "在非遗传承人指导下完成一件掐丝珐琅小作品。名额有限，额满可候补。",
    ),
    (
        "冬季防火安全讲座",
        "science",
        "hall",
        ["li"],
        ["everyone", "elderly"],
        3,
        9,
        2,
        60,
        "冬季取暖安全，教大家正确使用电暖器和煤炉。",
    ),
    (
        "亲子风筝绘画",
        "handicraft",
        "craft",
        ["wang"],
        ["family", "minors"],
        4,
        14,
        2,
        16,
        "在风筝面上画出自己的图案，周末一起放飞。",
    ),
    (
        "欢歌笑舞广场舞（冬季班）",
        "fitness",
        "square",
        ["yang"],
        ["elderly", "everyone"],
        5,
        19,
        1,
        40,
        "冬季广场舞学习班，天冷注意保暖。",
    ),
    (
        "免费拍摄证件照",
        "service",
        "hall",
        [],
        ["elderly", "disabled", "everyone"],
        6,
        9,
        3,
        30,
        "免费为村民拍摄证件照，老人、残疾人优先。",
    ),
    (
        "黄安坨剪纸迎新年",
        "heritage",
        "huangantuo",
        ["zhao"],
        ["everyone", "family"],
        9,
        14,
        2,
        25,
        "文化下乡：剪窗花、写福字，迎接新年。",
    ),
    (
        "阅读分享会：冬夜读书",
        "reading",
        "reading",
        ["chen"],
        ["everyone"],
        12,
        19,
        2,
        30,
        "冬夜围炉读书，分享这一年读过的好书。",
    ),
    (
        "拓印体验：新年福字",
        "heritage",
        "craft",
        ["liu"],
        ["family", "minors"],
        16,
        14,
        2,
        16,
        "拓一张新年福字，带回家贴在门上。",
    ),
    ("环保跳蚤市场（冬季）", "market", "square", [], ["everyone"], 19, 9, 4, 0, "年前大扫除，闲置物品来交换。"),
    (
        "舞蹈基础课（第二期）",
        "arts",
        "dance",
        ["yang"],
        ["everyone"],
        23,
        19,
        2,
        20,
        "舞蹈基础课第二期，报名从下周开始。",
    ),
    (  # today, in the evening opening hours: the door's "today" page and check-in have something to show
        "冬夜书法：写春联",
        "arts",
        "reading",
        ["chen"],
        ["everyone", "family"],
        0,
        19,
        2,
        30,
        "延时开放夜场：跟老师学写春联和福字，笔墨纸砚由文化中心提供，写好的春联可以带回家。",
    ),
]
DRAFTS = [
    (
        "星空科普夜",
        "science",
        "hall",
        ["sun"],
        ["minors", "family"],
        26,
        18,
        2,
        40,
        "用望远镜看冬季星空。主讲人审核中。",
        "submitted",
        "",
    ),
    ("迎新春联欢会", "arts", "hall", [], ["everyone"], 33, 14, 3, 120, "村民自编自演的新春联欢会。", "draft", ""),
    (
        "书法进村",
        "arts",
        "shangqingshui",
        [],
        ["everyone"],
        28,
        14,
        2,
        30,
        "写春联、送祝福。",
        "returned",
        "请补充书法老师的信息，并安排盯岗人员。",
    ),
]
COLOURS = {
    "handicraft": "#8a4b08",
    "science": "#1d4e89",
    "reading": "#5b3a8c",
    "heritage": "#0f5a6b",
    "fitness": "#b03a2e",
    "arts": "#7a3b69",
    "market": "#2f6b2f",
    "exhibition": "#8c2f39",
    "service": "#4a524e",
}


def _poster(category: str, seed: int) -> ContentFile:
    """A simple geometric poster, so the demo shows real uploaded pictures."""
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 800), COLOURS.get(category, "#14553f"))
    draw = ImageDraw.Draw(image)
    for _ in range(9):
        x, y, r = rng.randint(0, 800), rng.randint(0, 800), rng.randint(40, 220)
        shade = tuple(rng.randint(150, 255) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), outline=shade, width=rng.randint(6, 18))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"poster-{seed}.jpg")


def _at(day_offset: int, hour: int):
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load(stdout) -> None:
    if Event.objects.exists():
        return
    User = get_user_model()
    staff, reviewer = User.objects.get(username="staff"), User.objects.get(username="reviewer")
    venues = {
        key: Venue.objects.create(name=name, village=village, in_center=in_center)
        for key, (name, village, in_center) in VENUES.items()
    }
    presenters = {
        key: Presenter.objects.create(
            name=name,
            kind=kind,
            organisation=org,
            vetting=vetting,
            vetted_by=reviewer if vetting == "vetted" else None,
            vetted_at=timezone.now() - timedelta(days=100) if vetting == "vetted" else None,
        )
        for key, (name, kind, org, vetting) in PRESENTERS.items()
    }
    audiences = {tag.code: tag for tag in AudienceTag.objects.all()}
    villagers = list(Member.objects.present().order_by("pk"))
    rng = random.Random(2024)

    def create(row, status):
        title, category, venue, who, tags, offset, hour, hours, capacity, description = row[:10]
        starts = _at(offset, hour)
        event = Event(
            title=title,
            category=category,
            description=description,
            venue=venues[venue],
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            signup_required=capacity > 0,
            capacity=capacity or 0,
            signup_opens_at=starts - timedelta(days=14),
            created_by=staff,
            status=status,
        )
        if rng.random() < 0.5:
            picture = clean_image(_poster(category, offset + 100))
            event.poster, event.poster_thumbnail = picture, thumbnail(picture)
        event.refresh_search(audiences=list(tags))
        event.save()
        event.audiences.set([audiences[code] for code in tags])
        event.presenters.set([presenters[key] for key in who])
        if status != Event.Status.DRAFT:
            ReviewStep.objects.create(event=event, action=ReviewStep.Action.SUBMITTED, actor=staff)
        return event

    for row in EVENTS:
        event = create(row, Event.Status.APPROVED)
        event.duty_staff.set([staff])
        ReviewStep.objects.create(
            event=event, action=ReviewStep.Action.APPROVED, actor=reviewer, opinion="内容健康，同意发布。"
        )
        if event.starts_at < timezone.now():
            _past_attendance(event, villagers, rng, staff)
        else:
            _upcoming_signups(event, villagers, rng)
    for *row, status, opinion in DRAFTS:
        event = create(row, status)
        if status == "returned":
            ReviewStep.objects.create(event=event, action=ReviewStep.Action.RETURNED, actor=reviewer, opinion=opinion)
    stdout.write(f"  activities: {Event.objects.count()} events, {Registration.objects.count()} sign-ups")
    demo_rooms.load(stdout)
    demo_teams.load(stdout)
    demo_volunteers.load(stdout)
    demo_news.load(stdout)


def _past_attendance(event, villagers, rng, staff):
    if not event.signup_required:
        return
    people = rng.sample(villagers, min(len(villagers), rng.randint(event.capacity // 3, event.capacity)))
    registrations = []
    for person in people:
        came = rng.random() < 0.85
        registrations.append(
            Registration(
                event=event,
                member=person,
                status=Registration.Status.CONFIRMED,
                code=tickets.new_code(),
                queued_at=event.starts_at - timedelta(days=rng.randint(1, 10)),
                checked_in_at=event.starts_at + timedelta(minutes=rng.randint(-15, 10)) if came else None,
                checked_in_by=staff if came else None,
            )
        )
    Registration.objects.bulk_create(registrations)
    if rng.random() < 0.85:  # a few events still lack their work log, as the archive shows
        services.work_log_save(
            event=event,
            by=staff,
            summary="活动按计划进行，村民参与积极，现场秩序良好。",
            incidents="" if rng.random() < 0.8 else "一位老人身体不适，已由家属接回，无大碍。",
        )
    else:
        WorkLog.objects.filter(event=event).delete()


def _upcoming_signups(event, villagers, rng):
    if not event.signup_required or event.signup_opens_at > timezone.now():
        return
    guardian = Member.objects.get(mobile="13800000001")
    if event.capacity <= 12:  # the heritage class: full, with a waiting list
        others = [m for m in villagers if m.household_id != guardian.household_id]
        for person in others[: event.capacity + 2]:
            services.registration_create(event=event, member=person, by=None, on_behalf=True)
        child = guardian.household.members.filter(user__isnull=True).order_by("birth_year").last()
        services.registration_create(event=event, member=child, by=guardian.user)
        return
    for person in rng.sample(villagers, min(len(villagers), event.capacity // 3)):
        services.registration_create(event=event, member=person, by=None, on_behalf=True)
    tonight = timezone.localdate(event.starts_at) == timezone.localdate()  # the demo family has a ticket to show
    if (rng.random() < 0.4 or tonight) and not Registration.objects.filter(event=event, member=guardian).exists():
        services.registration_create(event=event, member=guardian, by=guardian.user)
