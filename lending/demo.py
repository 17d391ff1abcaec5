"""A village library's shelves, and a year of lending. Loaded by `seed_demo` once."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from culturecenter.models import Household, Member, Village
from culturecenter.services import member_create
from lending.isbn import isbn13_check_digit
from lending.models import Book, Campaign, CheckIn, Copy, Enrolment, Hold, Loan, LoanRules

# (class letter, publisher, [(title, author), ...])
SHELVES = [
    (
        "I",
        "接力出版社",
        [
            ("猜猜我有多爱你", "山姆·麦克布雷尼"),
            ("好饿的毛毛虫", "艾瑞·卡尔"),
            ("小猪唏哩呼噜", "孙幼军"),
            ("没头脑和不高兴", "任溶溶"),
            ("大头儿子和小头爸爸", "郑春华"),
            ("小巴掌童话", "张秋生"),
            ("小鲤鱼跳龙门", "金近"),
            ("神笔马良", "洪汛涛"),
            ("宝葫芦的秘密", "张天翼"),
            ("小英雄雨来", "管桦"),
            ("草房子", "曹文轩"),
            ("青铜葵花", "曹文轩"),
            ("小兵张嘎", "徐光耀"),
            ("城南旧事", "林海音"),
            ("稻草人", "叶圣陶"),
            ("小王子", "圣埃克苏佩里"),
            ("夏洛的网", "E.B.怀特"),
            ("窗边的小豆豆", "黑柳彻子"),
        ],
    ),
    (
        "I",
        "人民文学出版社",
        [
            ("红楼梦", "曹雪芹"),
            ("西游记", "吴承恩"),
            ("三国演义", "罗贯中"),
            ("水浒传", "施耐庵"),
            ("平凡的世界", "路遥"),
            ("人生", "路遥"),
            ("活着", "余华"),
            ("围城", "钱锺书"),
            ("骆驼祥子", "老舍"),
            ("茶馆", "老舍"),
            ("四世同堂", "老舍"),
            ("边城", "沈从文"),
            ("呐喊", "鲁迅"),
            ("朝花夕拾", "鲁迅"),
            ("家", "巴金"),
            ("白鹿原", "陈忠实"),
            ("红岩", "罗广斌 杨益言"),
            ("林海雪原", "曲波"),
            ("红高粱家族", "莫言"),
            ("长恨歌", "王安忆"),
            ("文化苦旅", "余秋雨"),
            ("我与地坛", "史铁生"),
            ("额尔古纳河右岸", "迟子建"),
            ("人世间", "梁晓声"),
            ("唐诗三百首", "蘅塘退士 编"),
            ("宋词三百首", "上彊村民 编"),
            ("古文观止", "吴楚材 吴调侯"),
            ("孔雀东南飞（古诗选读）", "佚名"),
            ("聊斋志异选", "蒲松龄"),
            ("儒林外史", "吴敬梓"),
        ],
    ),
    (
        "S",
        "中国农业出版社",
        [
            ("核桃高效栽培技术", "张志华"),
            ("板栗丰产栽培", "王广鹏"),
            ("苹果树整形修剪图解", "马宝焜"),
            ("大樱桃栽培技术问答", "刘庆忠"),
            ("香菇栽培实用技术", "黄年来"),
            ("蔬菜大棚种植技术", "李天来"),
            ("山区养蜂技术", "吴杰"),
            ("林下养鸡实用技术", "王艳丽"),
            ("中草药种植技术", "郭巧生"),
            ("农作物病虫害绿色防控", "杨普云"),
            ("土壤肥料与科学施肥", "陆欣"),
            ("小杂粮种植技术", "柴岩"),
            ("家庭农场经营管理", "郭熙保"),
            ("乡村民宿经营指南", "陈沛"),
            ("农产品电商入门", "刘帅"),
        ],
    ),
    (
        "R",
        "人民卫生出版社",
        [
            ("老年人高血压防治", "胡大一"),
            ("糖尿病自我管理", "纪立农"),
            ("老年人合理膳食", "中国营养学会"),
            ("中老年骨质疏松防治", "林华"),
            ("家庭急救手册", "王立祥"),
            ("老年人防跌倒指南", "于普林"),
            ("常见病中医调理", "王琦"),
            ("健康生活方式100问", "王陇德"),
            ("儿童常见病家庭护理", "崔玉涛"),
            ("心脑血管病预防", "刘力生"),
            ("老年人用药安全", "李大魁"),
            ("颈椎腰椎保健操", "孙树椿"),
        ],
    ),
    (
        "K",
        "北京出版社",
        [
            ("京西古道", "安全山"),
            ("门头沟文化遗产精粹", "门头沟区文化委员会"),
            ("永定河文化", "岳升阳"),
            ("爨底下村", "门头沟区政协"),
            ("斋堂川史话", "谭烈飞"),
            ("北京的山", "刘长发"),
            ("妙峰山庙会", "吴效群"),
            ("京西煤业史话", "袁树森"),
            ("北京通史（简本）", "曹子西"),
            ("中国通史", "吕思勉"),
            ("史记选", "司马迁"),
            ("上下五千年", "林汉达 曹余章"),
            ("红色门头沟", "门头沟区委党史办"),
        ],
    ),
    (
        "T",
        "中国轻工业出版社",
        [
            ("家常菜1000例", "杨桃美食编辑部"),
            ("北方面食大全", "李光"),
            ("京味儿家常菜", "石萌"),
            ("宝宝辅食每周一练", "于松"),
            ("老北京小吃", "崔岱远"),
            ("二十四节气养生食谱", "孙晶丹"),
            ("家庭烘焙入门", "君之"),
            ("手机摄影从入门到精通", "构图君"),
            ("家电维修一本通", "韩雪涛"),
        ],
    ),
    (
        "G",
        "人民教育出版社",
        [
            ("小学生必背古诗词", "教育部编写组"),
            ("新华字典", "中国社会科学院语言研究所"),
            ("现代汉语词典", "中国社会科学院语言研究所"),
            ("中考数学复习指导", "王后雄"),
            ("高考英语词汇", "俞敏洪"),
            ("公务员考试行测", "中公教育"),
            ("教师资格证考试", "华图教育"),
            ("家庭教育的智慧", "孙云晓"),
            ("正面管教", "简·尼尔森"),
            ("十万个为什么", "少年儿童出版社"),
        ],
    ),
    (
        "J",
        "人民美术出版社",
        [
            ("剪纸技法入门", "林曦明"),
            ("中国民间剪纸", "张道一"),
            ("景泰蓝（掐丝珐琅）工艺", "钱美华"),
            ("风筝制作与放飞", "哈亦琦"),
            ("拓印的艺术", "马子恺"),
            ("广场舞入门", "国家体育总局"),
            ("中国画入门", "潘天寿"),
            ("书法入门：楷书", "田英章"),
            ("民间编织", "王连海"),
        ],
    ),
    (
        "N",
        "科学普及出版社",
        [
            ("时间简史（少儿版）", "霍金"),
            ("物种起源（少儿版）", "达尔文"),
            ("昆虫记", "法布尔"),
            ("海底两万里", "凡尔纳"),
            ("万物简史", "比尔·布莱森"),
            ("给孩子讲宇宙", "李淼"),
            ("恐龙大百科", "童趣出版"),
            ("植物的秘密", "史军"),
        ],
    ),
]
VOLUMES = {
    "十万个为什么": 8,
    "上下五千年": 3,
    "恐龙大百科": 2,
    "中国通史": 2,
    "四世同堂": 3,
    "平凡的世界": 3,
    "人世间": 3,
}


def _isbn(rng, number):
    first12 = f"9787{rng.randint(100, 999)}{number:05d}"
    return first12 + isbn13_check_digit(first12)


def load(stdout) -> None:
    if not Book.objects.exists():
        _library(stdout)
    if not Campaign.objects.exists():
        _campaigns(stdout)


def _library(stdout) -> None:
    rng = random.Random(7)
    rules = LoanRules.current()
    librarian = get_user_model().objects.get(username="librarian")
    books, number = [], 1
    for class_letter, publisher, titles in SHELVES:
        for title, author in titles:
            parts = VOLUMES.get(title, 1)
            for part in range(1, parts + 1):
                books.append(
                    Book(
                        title=f"{title}（第{part}册）" if parts > 1 else title,
                        author=author,
                        publisher=publisher,
                        year=rng.randint(1995, 2024),
                        isbn=_isbn(rng, number),
                        class_letter=class_letter,
                    )
                )
                number += 1
    # Second editions of the most borrowed, to reach a village library's size.
    for book in list(books)[:150]:
        books.append(
            Book(
                title=f"{book.title}（修订版）",
                author=book.author,
                publisher=book.publisher,
                year=min(2025, (book.year or 2010) + 5),
                isbn=_isbn(rng, number),
                class_letter=book.class_letter,
            )
        )
        number += 1
    for book in books:
        book.refresh_search()
    Book.objects.bulk_create(books)
    copies, barcode = [], 1
    for book in Book.objects.order_by("pk"):
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            copies.append(Copy(book=book, barcode=f"B{barcode:08d}", shelf=f"{book.class_letter}-{rng.randint(1, 12)}"))
            barcode += 1
    Copy.objects.bulk_create(copies)
    _a_year_of_loans(rng, rules, librarian)
    stdout.write(
        f"  lending: {Book.objects.count()} books, {Copy.objects.count()} copies, {Loan.objects.count()} loans"
    )


def _a_year_of_loans(rng, rules, librarian):
    readers = list(Member.objects.present().filter(reader_card__isnull=False))
    copies = list(Copy.objects.select_related("book"))
    now, today = timezone.now(), timezone.localdate()
    loans = []
    for _ in range(600):  # returned loans over the past year
        lent = now - timedelta(days=rng.randint(40, 365), hours=rng.randint(0, 8))
        loans.append(
            Loan(
                copy=rng.choice(copies),
                member=rng.choice(readers),
                loaned_at=lent,
                loaned_by=librarian,
                due_date=lent.date() + timedelta(days=rules.loan_days),
                returned_at=lent + timedelta(days=rng.randint(3, 35)),
                returned_by=librarian,
            )
        )
    Loan.objects.bulk_create(loans)
    out = rng.sample(copies, 45)
    open_loans = []
    for index, copy in enumerate(out):
        reader = readers[index % len(readers)]
        days_ago = rng.randint(1, 28) if index >= 5 else rng.randint(35, 60)  # the first five are overdue
        lent = now - timedelta(days=days_ago)
        open_loans.append(
            Loan(
                copy=copy,
                member=reader,
                loaned_at=lent,
                loaned_by=librarian,
                due_date=lent.date() + timedelta(days=rules.loan_days),
            )
        )
        copy.status = Copy.Status.ON_LOAN
    Loan.objects.bulk_create(open_loans)
    Copy.objects.bulk_update(out, ["status"])
    # Holds: two waiting for books that are out, one ready on the hold shelf.
    guardian = Member.objects.get(mobile="13800000001")
    out_book = out[10].book
    Hold.objects.create(book=out_book, member=guardian, placed_by=guardian.user)
    Hold.objects.create(book=out[11].book, member=readers[3], placed_by=librarian)
    shelf_copy = next(
        c for c in copies if c.status == Copy.Status.ON_SHELF and c.book_id not in {x.book_id for x in out}
    )
    shelf_copy.status = Copy.Status.ON_HOLD_SHELF
    shelf_copy.save(update_fields=["status"])
    Hold.objects.create(
        book=shelf_copy.book,
        member=readers[5],
        placed_by=librarian,
        status=Hold.Status.READY,
        copy=shelf_copy,
        ready_at=now - timedelta(days=2),
        expires_on=today + timedelta(days=rules.hold_pickup_days - 2),
    )


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马胡朱郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = [
    "子涵",
    "雨桐",
    "浩然",
    "一诺",
    "欣怡",
    "梓轩",
    "秀英",
    "桂兰",
    "建国",
    "德顺",
    "玉珍",
    "志明",
    "海燕",
    "晓东",
    "春梅",
    "立军",
    "淑芬",
    "文博",
    "思远",
    "佳怡",
    "宇航",
    "明轩",
    "凤英",
    "长生",
]
REFLECTIONS = [
    "和孩子一起读《草房子》，桑桑的故事让我们都想起了自己的童年，晚上睡前读一章成了我们家的新习惯。",
    "《平凡的世界》里孙少平在煤矿上还坚持读书，让我明白了不管条件多苦，读书都能让人看得更远。",
    "今天读了核桃栽培的书，学到了冬季修剪的方法，明年开春就在自家地里试一试。",
    "奶奶给我讲《西游记》里三打白骨精的故事，我最喜欢孙悟空，因为他火眼金睛，什么妖怪都不怕。",
    "读《京西古道》才知道我们村边的山路走过那么多驮煤的骡队，下次要和孙子一起去走一走。",
    "暑假每天晚上来文化中心看书，开到九点很方便，爸爸干完农活也能来陪我一起读。",
]


def _extra_readers(rng, count):
    """More villagers without a login, so a campaign has a village's worth of readers."""
    villages = [v for v in Village.values if v != Village.OTHER]
    people = []
    for index in range(count):
        household = Household.objects.create(name=f"读书家庭{index + 1}") if index % 3 == 0 else None
        member = member_create(
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            village=rng.choice(villages),
            birth_year=rng.choice(
                [rng.randint(2012, 2019), rng.randint(2007, 2011), rng.randint(1970, 1995), rng.randint(1945, 1965)]
            ),
            household=household,
            by=None,
        )
        people.append(member)
    return people


def _fill(campaign, readers, rng, last_day, staff):
    titles = list(Book.objects.values_list("pk", "title")[:120])
    checkins = []
    for reader in readers:
        Enrolment.objects.create(campaign=campaign, member=reader, enrolled_by=staff)
        span = (last_day - campaign.starts_on).days + 1
        keen = rng.random()
        days = sorted(rng.sample(range(span), min(span, int(span * keen * 0.8) + 1)))
        for offset in days:
            book_id, title = rng.choice(titles)
            reflection = rng.choice(REFLECTIONS) if rng.random() < 0.08 else ""
            checkins.append(
                CheckIn(
                    campaign=campaign,
                    member=reader,
                    day=campaign.starts_on + timedelta(days=offset),
                    source=rng.choice([CheckIn.Source.HOME, CheckIn.Source.DESK]),
                    book_id=book_id,
                    book_title=title,
                    minutes=rng.choice([20, 30, 30, 45, 60, 90]),
                    reflection=reflection,
                    share=bool(reflection),
                    moderation=rng.choice(
                        [CheckIn.Moderation.APPROVED, CheckIn.Moderation.APPROVED, CheckIn.Moderation.PENDING]
                    )
                    if reflection
                    else CheckIn.Moderation.PENDING,
                )
            )
    CheckIn.objects.bulk_create(checkins)


def _campaigns(stdout) -> None:
    from datetime import date

    rng = random.Random(2024)
    staff = get_user_model().objects.get(username="librarian")
    rules = (
        "暑期每天读书，来馆借书或在家记录阅读都能打卡。家长和孩子一起读（亲子共读），"
        "学生、老年读者都欢迎参加。累计打卡 21 天即可领取奖状。"
    )
    summer = Campaign.objects.create(
        slug="shuxiang-2024",
        title="书香伴我行 · 2024 暑期借阅打卡",
        starts_on=date(2024, 7, 1),
        ends_on=date(2024, 8, 31),
        goal_days=21,
        rules=rules,
    )
    readers = list(Member.objects.present().filter(reader_card__isnull=False)) + _extra_readers(rng, 32)
    _fill(summer, readers[:62], rng, summer.ends_on, staff)
    today = timezone.localdate()
    winter = Campaign.objects.create(
        slug="winter-reading",
        title="书香伴我行 · 冬日共读",
        starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=45),
        goal_days=21,
        rules="冬天夜长，一家人围坐读书。来馆借书自动打卡，在家读书也可以记录。",
    )
    guardian = Member.objects.get(mobile="13800000001")
    family = list(guardian.household.members.all())
    others = [r for r in readers if r.household_id != guardian.household_id][:25]
    _fill(winter, family + others, rng, today - timedelta(days=1), staff)
    stdout.write(f"  campaigns: {Campaign.objects.count()} campaigns, {CheckIn.objects.count()} check-ins")
