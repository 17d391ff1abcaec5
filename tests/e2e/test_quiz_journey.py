from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback import quizzes
from feedback.models import Choice, Question, Questionnaire
from tests.conftest import make_villager
from tests.e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def make_quiz():
    now = timezone.now()
    quiz = Questionnaire.objects.create(
        title="消防安全有奖知识问答",
        opens_at=now + timedelta(minutes=5),
        closes_at=now + timedelta(days=7),
        is_quiz=True,
        prize_threshold=20,
        prize_count=1,
        reserve_count=1,
    )
    first = Question.objects.create(questionnaire=quiz, order=0, text="火警电话是多少？", kind="single", points=10)
    for i, (text, right) in enumerate([("119", True), ("110", False)]):
        Choice.objects.create(question=first, order=i, text=text, is_correct=right)
    second = Question.objects.create(
        questionnaire=quiz, order=1, text="电动车可以在楼道充电。", kind="truefalse", points=10
    )
    for i, (text, right) in enumerate([("对", False), ("错", True)]):
        Choice.objects.create(question=second, order=i, text=text, is_correct=right)
    quizzes.draw_commit_seed(questionnaire=quiz, by=None, seed="e2e-seed")
    Questionnaire.objects.filter(pk=quiz.pk).update(opens_at=now - timedelta(minutes=1))
    return quiz


def test_villager_takes_a_quiz_on_a_phone_and_later_sees_the_draw(phone):
    quiz = make_quiz()
    villager = make_villager()
    page = phone
    log_in(page, villager.mobile)
    page.goto(f"/feedback/quizzes/{quiz.pk}/")
    expect(page.get_by_text("第 1 题，共 2 题")).to_be_visible()
    page.get_by_label("119").check()
    page.get_by_label("错").check()
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_text("您的得分：20 分")).to_be_visible()
    expect(page.get_by_text("20 / 20")).to_be_visible()
    expect(page.get_by_text("✓")).to_have_count(0)  # right answers wait for the close
    page.screenshot(path=str(ARTIFACTS / "quiz-phone.png"), full_page=True)

    Questionnaire.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    quizzes.draw_run(questionnaire=quiz, by=None)
    page.goto(f"/feedback/quizzes/{quiz.pk}/")
    expect(page.get_by_text("e2e-seed").first).to_be_visible()
    expect(page.get_by_text("王*华").first).to_be_visible()
    expect(page.get_by_text("正确答案").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "quiz-draw-phone.png"), full_page=True)
