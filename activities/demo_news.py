"""Demo news: five articles of the 2024 summer and a withdrawn closure notice. Loaded once."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from activities.models import Article, ArticleStep, Event

SHANGHAI = ZoneInfo("Asia/Shanghai")

ARTICLES = [
    (
        "2024-summer-evenings",
        "暑期延时开放：文化中心每天开放到晚上九点",
        "7月15日至8月31日，文化中心阅览室、活动室每天开放至21:00，方便农忙后的村民和放假的孩子。",
        "## 晚上也能来\n\n"
        "为方便白天忙农活的村民和放暑假的孩子，清水镇文化中心自7月15日起延时开放，"
        "阅览室、电子阅览室和多功能活动室每天开放到21:00。\n\n"
        "## 有人值守\n\n"
        "延时时段每天安排两名工作人员和一名志愿者值守，晚间活动结束后工作人员会检查门窗水电。\n\n"
        "欢迎大家晚饭后带着孩子来看书、下棋、跳舞。",
        (2024, 7, 12, 10),
        [],
    ),
    (
        "2024-shuxiang-banwoxing",
        "“书香伴我行”暑期阅读打卡活动启动",
        "六个村的孩子和家长一起读书打卡，坚持21天可领取阅读证书。",
        "## 一起读，一起打卡\n\n"
        "“书香伴我行”暑期阅读活动7月1日启动。报名后在图书室借书自动打卡，"
        "在家读书也可以在网上登记，每天记一次。\n\n"
        "## 坚持21天领证书\n\n"
        "坚持打卡21天的读者可以打印阅读证书，优秀心得将在文化中心展示。",
        (2024, 7, 1, 9),
        [],
    ),
    (
        "2024-huangantuo-paper-cutting",
        "文化下乡：剪纸艺人走进黄安坨",
        "剪纸艺人赵桂兰老师在黄安坨村委会广场教村民剪红色主题窗花。",
        "## 把课堂搬到村里\n\n"
        "7月20日，文化中心“文化下乡”走进黄安坨村。剪纸艺人赵桂兰老师手把手教大家剪红色主题窗花，"
        "老人和孩子围坐在一起，一下午剪出了上百幅作品。\n\n"
        "## 作品留在村里\n\n"
        "优秀作品已装裱后挂在村委会活动室，供村民参观。",
        (2024, 7, 22, 16),
        ["黄安坨爱国主义剪纸"],
    ),
    (
        "2024-square-dance-qingshuiyao",
        "广场舞队新编《清水谣》汇报演出",
        "清水镇广场舞队用两个月排练新舞《清水谣》，在文化广场首演。",
        "## 两个月排一支新舞\n\n"
        "在杨红老师带领下，广场舞队队员利用每天傍晚的时间排练，把清水河、京西古道的元素编进了舞蹈。\n\n"
        "## 零基础也能学\n\n"
        "广场舞队每周在文化广场教学，欢迎零基础的村民一起来跳。",
        (2024, 8, 10, 20),
        ["欢歌笑舞广场舞"],
    ),
    (
        "2024-huaxin-qingshui-prize",
        "青少年文艺团队“花信清水”摄影作品获区级奖项",
        "“花信清水”团队的手机摄影作品在门头沟区青少年摄影比赛中获奖。",
        "## 用手机拍家乡\n\n"
        "“花信清水”的孩子们在暑期摄影课上学会了构图和用光，拍下了家乡的山、水和乡亲。\n\n"
        "## 获得区级奖项\n\n"
        "其中三幅作品在门头沟区青少年摄影比赛中获奖，作品将在文化中心展厅展出一个月。",
        (2024, 8, 28, 11),
        ["花信清水青少年摄影课"],
    ),
]


def load(stdout) -> None:
    if Article.objects.exists():
        return
    User = get_user_model()
    staff, reviewer = User.objects.get(username="staff"), User.objects.get(username="reviewer")
    for slug, title, summary, body, when, event_titles in ARTICLES:
        at = datetime(*when, tzinfo=SHANGHAI)
        article = _published(slug, title, summary, body, at, staff, reviewer)
        article.events.set(Event.objects.filter(title__in=event_titles))
    notice = _published(
        "2024-closure-notice",
        "闭馆通知：8月5日至6日暂停开放",
        "因电路检修，文化中心8月5日至6日暂停开放。",
        "因电路检修，文化中心8月5日至6日暂停开放，8月7日恢复开放。给您带来不便，敬请谅解。",
        datetime(2024, 8, 1, 9, tzinfo=SHANGHAI),
        staff,
        reviewer,
        expires_at=datetime(2024, 8, 7, 9, tzinfo=SHANGHAI),
    )
    withdrawn_at = datetime(2024, 8, 2, 15, tzinfo=SHANGHAI)
    notice.status = Article.Status.WITHDRAWN
    notice.withdrawn_reason, notice.withdrawn_at, notice.withdrawn_by = "检修改期，照常开放。", withdrawn_at, reviewer
    notice.save()
    step = ArticleStep.objects.create(
        article=notice, action="withdrawn", actor=reviewer, opinion=notice.withdrawn_reason
    )
    ArticleStep.objects.filter(pk=step.pk).update(at=withdrawn_at)
    stdout.write(f"  news: {Article.objects.count()} articles")


def _published(slug, title, summary, body, at, author, reviewer, **fields) -> Article:
    article = Article.objects.create(
        slug=slug, title=title, summary=summary, body=body, created_by=author, publish_at=at, **fields
    )
    article.approved_hash = article.text_hash()
    article.status, article.published_at = Article.Status.PUBLISHED, at
    article.save()
    for action, actor in (("submitted", author), ("approved", reviewer), ("published", reviewer)):
        step = ArticleStep.objects.create(article=article, action=action, actor=actor)
        ArticleStep.objects.filter(pk=step.pk).update(at=at)
    return article
