import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from feedback.models import Answer, Choice, Question, Questionnaire, Response
from tests.conftest import make_villager

pytestmark = pytest.mark.django_db


def make_questionnaire(*, anonymous=False, opens=-1, closes=30):
    now = timezone.now()
    q = Questionnaire.objects.create(
        title="暑期需求调查",
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
        anonymous=anonymous,
    )
    kinds = [
        ("兴趣", "multiple", ["手工", "讲座", "阅读"], True),
        ("时间", "single", ["白天", "晚上"], False),
        ("满意度", "rating", [], False),
        ("读书小时", "number", [], False),
        ("建议", "long", [], False),
    ]
    for order, (text, kind, choices, other) in enumerate(kinds):
        question = Question.objects.create(
            questionnaire=q, order=order, text=text, kind=kind, allow_other=other, required=order < 3
        )
        for i, c in enumerate(choices):
            Choice.objects.create(question=question, order=i, text=c)
    return q


def data_for(q, **overrides):
    questions = {question.text: question for question in q.questions.all()}
    choice = {c.text: str(c.pk) for c in Choice.objects.filter(question__questionnaire=q)}
    data = {
        f"q{questions['兴趣'].pk}": [choice["手工"], choice["阅读"]],
        f"q{questions['时间'].pk}": choice["晚上"],
        f"q{questions['满意度'].pk}": "5",
        f"q{questions['读书小时'].pk}": "3",
        f"q{questions['建议'].pk}": "希望多办书法班",
    }
    for text, value in overrides.items():
        data[f"q{questions[text].pk}" if text in questions else text] = value
    return data, questions


def test_villager_answers_and_the_answers_are_typed_rows(villager_client, villager):
    q = make_questionnaire()
    data, questions = data_for(q)
    response = villager_client.post(f"/feedback/surveys/{q.pk}/", data)
    assert "谢谢" in response.content.decode()
    stored = Response.objects.get()
    assert (stored.member, stored.channel, stored.village) == (villager, "web", villager.village)
    interest = Answer.objects.get(question=questions["兴趣"])
    assert sorted(interest.choices.values_list("text", flat=True)) == ["手工", "阅读"]
    assert Answer.objects.get(question=questions["满意度"]).number == 5


def test_answering_twice_is_refused(villager_client):
    q = make_questionnaire()
    data, _questions = data_for(q)
    villager_client.post(f"/feedback/surveys/{q.pk}/", data)
    again = villager_client.post(f"/feedback/surveys/{q.pk}/", data, follow=True)
    assert "已经填写过" in again.content.decode()
    assert Response.objects.count() == 1


def test_anonymous_once_per_browser_and_nothing_personal_is_kept(client):
    q = make_questionnaire(anonymous=True)
    data, _questions = data_for(q)
    client.post(f"/feedback/surveys/{q.pk}/", data)
    again = client.post(f"/feedback/surveys/{q.pk}/", data, follow=True)
    assert "已经填写过" in again.content.decode()
    stored = Response.objects.get()
    assert stored.member is None and len(stored.browser_key) == 64
    assert client.cookies["qs_survey"].value not in stored.browser_key


def test_required_questions_and_other_text(villager_client):
    q = make_questionnaire()
    data, questions = data_for(q)
    del data[f"q{questions['时间'].pk}"]
    missing = villager_client.post(f"/feedback/surveys/{q.pk}/", data)
    assert "这个字段是必填项" in missing.content.decode()
    data, questions = data_for(q, 兴趣=["other"])
    other = villager_client.post(f"/feedback/surveys/{q.pk}/", data)
    assert "请注明具体内容" in other.content.decode()
    data[f"q{questions['兴趣'].pk}_other"] = "葫芦丝"
    villager_client.post(f"/feedback/surveys/{q.pk}/", data)
    assert Answer.objects.get(question=questions["兴趣"]).text == "葫芦丝"
    bad = data_for(q, 读书小时="很多")[0]
    assert not Response.objects.exclude(pk=Response.objects.get().pk).exists()
    assert "数" in villager_client.post(f"/feedback/surveys/{q.pk}/", bad).content.decode()


@pytest.mark.parametrize(("opens", "closes", "message"), [(1, 30, "将于"), (-30, -1, "已于")])
def test_closed_or_not_yet_open_says_so(villager_client, opens, closes, message):
    q = make_questionnaire(opens=opens, closes=closes)
    assert message in villager_client.get(f"/feedback/surveys/{q.pk}/").content.decode()
    data, _questions = data_for(q)
    villager_client.post(f"/feedback/surveys/{q.pk}/", data)
    assert not Response.objects.exists()


def test_a_non_anonymous_questionnaire_asks_to_log_in(client):
    q = make_questionnaire()
    response = client.get(f"/feedback/surveys/{q.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_staff_enter_paper_responses_and_the_form_comes_back_empty(staff_client, staff_user):
    q = make_questionnaire()
    data, _questions = data_for(q)
    response = staff_client.post(
        f"/feedback/surveys/{q.pk}/entry/",
        {**data, "channel": "paper", "village": "xidamo", "age_group": "elderly"},
        follow=True,
    )
    assert "已录入 1 份" in response.content.decode()
    stored = Response.objects.get()
    assert (stored.channel, stored.village, stored.age_group, stored.entered_by) == (
        "paper",
        "xidamo",
        "elderly",
        staff_user,
    )
    assert 'value="希望多办书法班"' not in response.content.decode()


def test_results_count_filter_and_export(staff_client):
    q = make_questionnaire()
    data, questions = data_for(q)
    for village, channel in [("xidamo", "paper"), ("xidamo", "wechat"), ("yanjiatai", "paper")]:
        staff_client.post(f"/feedback/surveys/{q.pk}/entry/", {**data, "channel": channel, "village": village})
    staff_client.post(
        f"/feedback/surveys/{q.pk}/entry/",
        {
            **data_for(q, 时间=str(Choice.objects.get(text="白天").pk), 满意度="3", 建议='=HYPERLINK("evil")')[0],
            "channel": "visit",
            "village": "yanjiatai",
        },
    )
    page = staff_client.get(f"/feedback/surveys/{q.pk}/results/")
    result = {r.question.text: r for r in page.context["questions"]}
    assert page.context["total"] == 4
    assert ("晚上", 3, 75) in result["时间"].rows and ("白天", 1, 25) in result["时间"].rows
    assert result["满意度"].average == 4.5
    assert "<svg" in page.content.decode()

    filtered = staff_client.get(f"/feedback/surveys/{q.pk}/results/", {"village": "xidamo", "channel": "paper"})
    assert filtered.context["total"] == 1

    csv_text = staff_client.get(f"/feedback/surveys/{q.pk}/results.csv").content.decode("utf-8-sig")
    assert csv_text.count("\n") == 5 and "'=HYPERLINK" in csv_text and "手工；阅读" in csv_text
    rows = list(
        load_workbook(io.BytesIO(staff_client.get(f"/feedback/surveys/{q.pk}/results.xlsx").content)).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 5 and rows[0][4] == "兴趣"


def test_results_query_count_does_not_grow_with_responses(staff_client, django_assert_max_num_queries):
    q = make_questionnaire()
    data, _questions = data_for(q)
    for _n in range(25):
        staff_client.post(f"/feedback/surveys/{q.pk}/entry/", {**data, "channel": "paper", "village": "xidamo"})
    with django_assert_max_num_queries(18):
        staff_client.get(f"/feedback/surveys/{q.pk}/results/")


def test_villagers_cannot_see_results_or_enter_responses(villager_client):
    q = make_questionnaire()
    assert villager_client.get(f"/feedback/surveys/{q.pk}/results/").status_code == 403
    assert villager_client.get(f"/feedback/surveys/{q.pk}/entry/").status_code == 403


def test_questions_with_answers_are_locked_in_the_admin(client, db):
    from tests.conftest import make_staff

    q = make_questionnaire()
    make_villager()
    Response.objects.create(questionnaire=q, channel="paper")
    client.force_login(make_staff("reviewer", "审核人"))
    page = client.get(f"/admin/feedback/questionnaire/{q.pk}/change/").content.decode()
    assert "题目已锁定" in page
    client.post("/admin/feedback/questionnaire/", {"action": "close_and_copy", "_selected_action": [q.pk]})
    copy = Questionnaire.objects.exclude(pk=q.pk).get()
    assert copy.questions.count() == 5 and Choice.objects.filter(question__questionnaire=copy).count() == 5
    q.refresh_from_db()
    assert not q.is_open()


def test_a_negative_number_of_hours_is_refused_with_the_range_named(villager_client):
    q = make_questionnaire()
    Question.objects.filter(text="读书小时").update(max_value=168)
    data, _questions = data_for(q, 读书小时="-5")
    page = villager_client.post(f"/feedback/surveys/{q.pk}/", data).content.decode()
    assert "请填写 0 到 168 之间的数。" in page
    assert Response.objects.count() == 0
    assert 'min="0"' in page and 'max="168"' in page and "可填写的数：0–168" in page


def test_a_number_above_the_highest_is_refused_at_staff_paper_entry_too(staff_client):
    q = make_questionnaire()
    Question.objects.filter(text="读书小时").update(min_value=None, max_value=40)
    data, _questions = data_for(q, 读书小时="200")
    page = staff_client.post(
        f"/feedback/surveys/{q.pk}/entry/", {**data, "channel": "paper", "village": "xidamo"}
    ).content.decode()
    assert "请填写不大于 40 的数。" in page
    assert Response.objects.count() == 0

    staff_client.post(f"/feedback/surveys/{q.pk}/entry/", {**data_for(q)[0], "channel": "paper", "village": "xidamo"})
    assert Answer.objects.get(question__text="读书小时").number == 3


def test_number_questions_refuse_negatives_unless_the_admin_allows_them(villager_client):
    q = make_questionnaire()
    data, _questions = data_for(q, 读书小时="-1")
    assert "请填写不小于 0 的数。" in villager_client.post(f"/feedback/surveys/{q.pk}/", data).content.decode()
    Question.objects.filter(text="读书小时").update(min_value=None)
    assert "谢谢" in villager_client.post(f"/feedback/surveys/{q.pk}/", data).content.decode()


def test_staff_set_the_range_in_the_admin_and_a_reversed_range_is_refused(staff_client):
    from django.core.exceptions import ValidationError

    page = staff_client.get("/admin/feedback/questionnaire/add/").content.decode()
    assert 'name="questions-0-min_value"' in page and 'name="questions-0-max_value"' in page
    question = Question(
        questionnaire=make_questionnaire(), text="年龄", kind="number", min_value=100, max_value=10, order=9
    )
    with pytest.raises(ValidationError, match="最小值不能大于最大值"):
        question.full_clean()


NINE = [
    "手工艺",
    "科普讲座",
    "阅读分享",
    "展览",
    "市集",
    "全民健身",
    "非遗体验（景泰蓝、拓印）",
    "便民服务",
    "文艺培训",
]


def test_the_results_chart_labels_each_of_nine_choices_beside_its_own_bar_with_the_table(staff_client):
    import re
    import xml.etree.ElementTree as ET

    q = make_questionnaire()
    question = Question.objects.create(questionnaire=q, order=9, text="想参加哪些活动？", kind="multiple")
    choices = [Choice.objects.create(question=question, order=i, text=t) for i, t in enumerate(NINE)]
    for number, choice in enumerate(choices, start=1):  # 手工艺 once … 文艺培训 nine times
        for _n in range(number):
            response = Response.objects.create(questionnaire=q, channel="paper")
            Answer.objects.create(response=response, question=question).choices.set([choice])
    page = staff_client.get(f"/feedback/surveys/{q.pk}/results/").content.decode()

    svg_text = re.search(r'<svg class="hbar-chart".*?</svg>', page[page.index("想参加哪些活动？") :], re.S).group()
    assert 'preserveAspectRatio="none"' not in svg_text
    svg = ET.fromstring(svg_text)
    rows = svg.findall("{*}g") or svg.findall("g")
    assert len(rows) == 9
    for number, (row, label) in enumerate(zip(rows, NINE, strict=True), start=1):
        texts = row.findall("{*}text") or row.findall("text")
        drawn_label = "".join(texts[0].itertext())
        assert drawn_label == label  # long labels are wrapped onto lines, never dropped
        bar_title = "".join(row.find("{*}rect/{*}title").itertext())
        assert bar_title == f"{label}: {number} · {round(100 * number / 45)}%"
    widths = [float(row.find("{*}rect").get("width")) for row in rows]
    assert widths == sorted(widths) and widths[0] < widths[-1]

    table = page[page.index("想参加哪些活动？") :]
    assert '<th scope="col">选项</th>' in table and "人数" in table and "占比" in table
    assert '<th scope="row">文艺培训</th><td class="text-end">9</td><td class="text-end">20%</td>' in table
