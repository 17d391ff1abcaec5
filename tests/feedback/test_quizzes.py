"""Prize quizzes: scoring of each kind in SQL, bank draws, attempts, answers hidden until
close, ranks, and the verifiable draw."""

import hashlib
import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from culturecenter import roles
from culturecenter.models import Notice
from feedback import quizzes, services
from feedback.models import BankRule, Choice, DrawEntry, Question, Questionnaire, Response
from tests.conftest import make_staff, make_villager

pytestmark = pytest.mark.django_db


def add_question(quiz, text, kind, points, choices, *, tag="", order=0):
    question = Question.objects.create(
        questionnaire=quiz, text=text, kind=kind, points=points, bank_tag=tag, order=order
    )
    for i, (label, right) in enumerate(choices):
        Choice.objects.create(question=question, order=i, text=label, is_correct=right)
    return question


def make_quiz(*, anonymous=False, attempts=1, opens_in=-timedelta(days=1), closes_in=timedelta(days=1), **fields):
    now = timezone.now()
    quiz = Questionnaire.objects.create(
        title="消防安全有奖知识问答",
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        anonymous=anonymous,
        is_quiz=True,
        attempts_allowed=attempts,
        **fields,
    )
    single = add_question(quiz, "火警电话是？", "single", 10, [("119", True), ("110", False), ("120", False)])
    multiple = add_question(
        quiz,
        "家中起火应当？",
        "multiple",
        20,
        [("切断电源", True), ("湿毛巾捂口鼻", True), ("乘电梯逃生", False)],
        order=1,
    )
    truth = add_question(quiz, "电动车可以在楼道充电。", "truefalse", 10, [("对", False), ("错", True)], order=2)
    return quiz, single, multiple, truth


def pick(question, *labels):
    return (list(question.choices.filter(text__in=labels)), "")


def answer(quiz, member, picks, **kwargs):
    return services.response_submit(questionnaire=quiz, answers=picks, member=member, **kwargs)


def test_each_kind_scores_only_when_fully_right(villager):
    quiz, single, multiple, truth = make_quiz(attempts=5)
    full = answer(
        quiz,
        villager,
        {single: pick(single, "119"), multiple: pick(multiple, "切断电源", "湿毛巾捂口鼻"), truth: pick(truth, "错")},
    )
    assert full.score == 40
    half = answer(
        quiz, villager, {single: pick(single, "110"), multiple: pick(multiple, "切断电源"), truth: pick(truth, "错")}
    )
    assert half.score == 10  # multiple needs every correct choice
    wrong_extra = answer(
        quiz,
        villager,
        {
            single: pick(single, "119"),
            multiple: pick(multiple, "切断电源", "湿毛巾捂口鼻", "乘电梯逃生"),
            truth: pick(truth, "对"),
        },
    )
    assert wrong_extra.score == 10  # a wrong choice spoils a multiple answer
    assert quizzes.score_responses(questionnaire_id=quiz.pk) == {full.pk: 40, half.pk: 10, wrong_extra.pk: 10}


def test_the_score_comes_from_the_stored_answers_not_from_the_form(villager_client, villager):
    quiz, single, multiple, truth = make_quiz()
    villager_client.post(
        f"/feedback/quizzes/{quiz.pk}/",
        {
            f"q{single.pk}": single.choices.get(text="119").pk,
            f"q{multiple.pk}": [multiple.choices.get(text="乘电梯逃生").pk],
            f"q{truth.pk}": truth.choices.get(text="错").pk,
            "score": "40",
            "points": "999",
        },
    )
    response = Response.objects.get(member=villager)
    assert response.score == 20
    page = villager_client.get(f"/feedback/quizzes/{quiz.pk}/").content.decode()
    assert "20 / 40" in page


def test_one_attempt_by_default_and_more_only_when_allowed(villager):
    quiz, single, *_ = make_quiz()
    answer(quiz, villager, {single: pick(single, "119")})
    with pytest.raises(services.FeedbackError):
        answer(quiz, villager, {single: pick(single, "119")})
    quiz.attempts_allowed = 2
    quiz.save()
    assert answer(quiz, villager, {single: pick(single, "119")}).attempt == 2


def test_anonymous_quiz_is_once_per_browser(db):
    quiz, single, multiple, truth = make_quiz(anonymous=True)
    browser = Client()
    data = {
        f"q{single.pk}": single.choices.get(text="119").pk,
        f"q{multiple.pk}": [multiple.choices.first().pk],
        f"q{truth.pk}": truth.choices.first().pk,
    }
    browser.post(f"/feedback/quizzes/{quiz.pk}/", data)
    browser.post(f"/feedback/quizzes/{quiz.pk}/", data)
    assert Response.objects.filter(questionnaire=quiz).count() == 1
    Client().post(f"/feedback/quizzes/{quiz.pk}/", data)
    assert Response.objects.filter(questionnaire=quiz).count() == 2


def test_attempts_after_close_are_refused(villager):
    quiz, single, *_ = make_quiz(opens_in=-timedelta(days=3), closes_in=-timedelta(days=1))
    with pytest.raises(services.FeedbackError):
        answer(quiz, villager, {single: pick(single, "119")})


def test_right_answers_are_hidden_while_open_and_shown_after_close(villager_client, villager):
    quiz, single, multiple, truth = make_quiz()
    answer(
        quiz, villager, {single: pick(single, "110"), multiple: pick(multiple, "切断电源"), truth: pick(truth, "错")}
    )
    page = villager_client.get(f"/feedback/quizzes/{quiz.pk}/").content.decode()
    assert "✓" not in page and "您的答案和正确答案" not in page
    assert "119" not in page  # not even the question's choices once answered
    Questionnaire.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = villager_client.get(f"/feedback/quizzes/{quiz.pk}/").content.decode()
    assert "119" in page and "✓" in page and "您的答案和正确答案" in page


def test_bank_draws_the_same_mix_per_tag_for_every_attempt(db):
    quiz = Questionnaire.objects.create(
        title="清水非遗知识问答",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
        is_quiz=True,
    )
    for n in range(6):
        add_question(quiz, f"剪纸{n}", "truefalse", 10, [("对", True), ("错", False)], tag="剪纸")
    for n in range(4):
        add_question(quiz, f"花会{n}", "truefalse", 10, [("对", True), ("错", False)], tag="花会")
    add_question(quiz, "总是出现的题", "truefalse", 10, [("对", True), ("错", False)])
    BankRule.objects.create(questionnaire=quiz, tag="剪纸", count=3)
    BankRule.objects.create(questionnaire=quiz, tag="花会", count=2)
    papers = [quizzes.questions_for_attempt(quiz, f"m{n}", 1) for n in range(8)]
    for paper in papers:
        tags = sorted(q.bank_tag for q in paper)
        assert tags == ["", "剪纸", "剪纸", "剪纸", "花会", "花会"]
    assert len({tuple(q.pk for q in p) for p in papers}) > 1  # people get different questions
    assert [q.pk for q in quizzes.questions_for_attempt(quiz, "m1", 1)] == [q.pk for q in papers[1]]


def test_ties_share_a_rank():
    assert quizzes.competition_ranks([90, 80, 80, 70]) == [1, 2, 2, 4]


def _closed_quiz_with_entrants(n=8, threshold=30):
    quiz, single, multiple, truth = make_quiz(
        opens_in=timedelta(hours=1),
        closes_in=timedelta(days=2),
        prize_threshold=threshold,
        prize_count=2,
        reserve_count=2,
    )
    staff = make_staff("drawer", roles.STAFF)
    draw = quizzes.draw_commit_seed(questionnaire=quiz, by=staff, seed="qingshui-2024-fire")
    Questionnaire.objects.filter(pk=quiz.pk).update(opens_at=timezone.now() - timedelta(days=1))
    quiz.refresh_from_db()
    people = []
    for i in range(n):
        member = make_villager(name=f"王{i}明")
        right = i % 4 != 0  # every fourth person misses the multiple question
        answer(
            quiz,
            member,
            {
                single: pick(single, "119"),
                multiple: pick(multiple, "切断电源", "湿毛巾捂口鼻") if right else pick(multiple, "切断电源"),
                truth: pick(truth, "错"),
            },
        )
        people.append(member)
    Questionnaire.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    quiz.refresh_from_db()
    return quiz, draw, staff, people


def test_the_seed_is_committed_before_opening_and_cannot_be_changed(db):
    quiz, *_ = make_quiz(opens_in=timedelta(hours=1), prize_threshold=10, prize_count=1)
    staff = make_staff("drawer", roles.STAFF)
    draw = quizzes.draw_commit_seed(questionnaire=quiz, by=staff, seed="abc")
    assert draw.seed_sha256 == hashlib.sha256(b"abc").hexdigest()
    with pytest.raises(services.FeedbackError, match="不能更改"):
        quizzes.draw_commit_seed(questionnaire=quiz, by=staff, seed="better")
    late, *_ = make_quiz(prize_threshold=10, prize_count=1)
    with pytest.raises(services.FeedbackError, match="开始前"):
        quizzes.draw_commit_seed(questionnaire=late, by=staff)


def test_the_draw_runs_once_on_the_frozen_eligible_list(db):
    quiz, draw, staff, people = _closed_quiz_with_entrants()
    draw = quizzes.draw_run(questionnaire=quiz, by=staff)
    entries = list(draw.entries.all())
    assert len(entries) == 6  # two of eight scored 20 < 30
    assert len({e.member_id for e in entries}) == len(entries)
    winners = [e for e in entries if e.outcome == "winner"]
    reserves = sorted((e for e in entries if e.outcome == "reserve"), key=lambda e: e.place)
    assert len(winners) == 2 and len(reserves) == 2
    assert Notice.objects.filter(member__in=[w.member for w in winners]).count() == 2
    with pytest.raises(services.FeedbackError, match="只能进行一次"):
        quizzes.draw_run(questionnaire=quiz, by=staff)


def test_the_published_python_lines_give_the_same_winners(db):
    quiz, draw, staff, people = _closed_quiz_with_entrants()
    quizzes.draw_run(questionnaire=quiz, by=staff)
    text = Client().get(f"/feedback/quizzes/{quiz.pk}/").content.decode()  # anyone, without logging in
    code = html.unescape(re.search(r'<pre class="quiz-code" id="rerun-code">(.*?)</pre>', text, re.S).group(1))
    printed = []
    exec(code, {"print": lambda *args: printed.append(args)})  # noqa: S102 - the page's own published lines
    winners = [args[1] for args in printed if args[0] == "winners"][0]
    reserves = [args[1] for args in printed if args[0] == "reserves"][0]
    stored = DrawEntry.objects.filter(draw__questionnaire=quiz, place__isnull=False).order_by("place")
    assert winners + reserves == [e.number for e in stored]
    assert "qingshui-2024-fire" in text
    assert "王*明" in text and re.search(r"139\*\*\*\*\d{4}", text)
    assert people[1].name not in text


def test_unclaimed_prizes_pass_to_reserves_in_order(db):
    quiz, draw, staff, people = _closed_quiz_with_entrants()
    draw = quizzes.draw_run(questionnaire=quiz, by=staff)
    winners = list(draw.entries.filter(outcome="winner").order_by("place"))
    quizzes.draw_claim(entry=winners[0], by=staff)
    later = timezone.now() + timedelta(days=quiz.claim_days + 1)
    assert quizzes.draw_pass_on_unclaimed(questionnaire=quiz, now=later) == 1
    first_reserve = draw.entries.filter(outcome="promoted").get()
    assert first_reserve.place == 3
    winners[1].refresh_from_db()
    assert winners[1].outcome == "lapsed"
    with pytest.raises(services.FeedbackError):
        quizzes.draw_claim(entry=winners[1], by=staff, now=later)


def test_staff_results_show_participants_and_correct_rates(db, client, django_assert_max_num_queries):
    quiz, draw, staff, people = _closed_quiz_with_entrants(n=12)
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        page = client.get(f"/feedback/quizzes/{quiz.pk}/results/").content.decode()
    assert "12" in page and "75%" in page  # nine of twelve got the multiple question right
    export = client.get(f"/feedback/quizzes/{quiz.pk}/results.csv")
    assert export.status_code == 200 and "40" in export.content.decode("utf-8-sig")


def test_villagers_cannot_open_results_or_run_the_draw(villager_client):
    quiz, *_ = make_quiz()
    assert villager_client.get(f"/feedback/quizzes/{quiz.pk}/results/").status_code == 403
    assert villager_client.post(f"/feedback/quizzes/{quiz.pk}/draw/", {"action": "run"}).status_code == 403


def test_quiz_page_queries_do_not_grow_with_answers(db, django_assert_max_num_queries):
    quiz, draw, staff, people = _closed_quiz_with_entrants(n=20)
    quizzes.draw_run(questionnaire=quiz, by=staff)
    viewer = Client()
    viewer.force_login(people[3].user)
    with django_assert_max_num_queries(25):
        assert viewer.get(f"/feedback/quizzes/{quiz.pk}/").status_code == 200


def test_answers_and_quiz_text_are_escaped(villager_client):
    quiz, single, *_ = make_quiz()
    Choice.objects.filter(question=single, text="110").update(text="<script>alert(1)</script>")
    page = villager_client.get(f"/feedback/quizzes/{quiz.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_paper_sheets_entered_by_staff_are_scored_and_linked_by_mobile(staff_client, villager):
    quiz, single, multiple, truth = make_quiz()
    data = {
        "channel": "paper",
        "village": "huangantuo",
        "age_group": "",
        "mobile": f"{villager.mobile[:3]} {villager.mobile[3:7]} {villager.mobile[7:]}",
        f"q{single.pk}": single.choices.get(text="119").pk,
        f"q{multiple.pk}": [c.pk for c in multiple.choices.filter(is_correct=True)],
        f"q{truth.pk}": truth.choices.get(text="对").pk,
    }
    staff_client.post(f"/feedback/surveys/{quiz.pk}/entry/", data)
    response = Response.objects.get(questionnaire=quiz)
    assert (response.member, response.score, response.channel) == (villager, 30, "paper")
    page = staff_client.post(f"/feedback/surveys/{quiz.pk}/entry/", data).content.decode()
    assert Response.objects.filter(questionnaire=quiz).count() == 1  # one attempt per person, on paper too
    assert "答题次数" in page


def make_live_quiz(percent=50):
    quiz, single, multiple, truth = make_quiz()
    Questionnaire.objects.filter(pk=quiz.pk).update(live=True, speed_bonus_percent=percent, answer_seconds=20)
    quiz.refresh_from_db()
    return quiz, single, multiple, truth


def test_speed_bonus_is_never_more_than_half_the_points():
    assert quizzes.speed_bonus(points=10, percent=50, seconds=0, window=20) == 5
    assert quizzes.speed_bonus(points=10, percent=90, seconds=0, window=20) == 5
    assert quizzes.speed_bonus(points=10, percent=50, seconds=10, window=20) == 2
    assert quizzes.speed_bonus(points=10, percent=50, seconds=25, window=20) == 0


def test_a_quiz_cannot_promise_a_bonus_above_half(db):
    from django.db import IntegrityError

    quiz, *_ = make_quiz()
    with pytest.raises(IntegrityError):
        Questionnaire.objects.filter(pk=quiz.pk).update(speed_bonus_percent=60)


def test_live_answers_score_with_a_bonus_only_when_right_and_in_time(db):
    import time_machine

    quiz, single, multiple, truth = make_live_quiz()
    staff = make_staff("host", roles.STAFF)
    fast, slow, wrong = make_villager(name="快"), make_villager(name="慢"), make_villager(name="错")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        shown = quizzes.live_show_next(questionnaire=quiz, by=staff)
    assert shown.question == single
    right, bad = single.choices.get(text="119"), single.choices.get(text="110")
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        quizzes.live_answer(questionnaire=quiz, round_id=shown.pk, choices=[right], member=fast)
        quizzes.live_answer(questionnaire=quiz, round_id=shown.pk, choices=[bad], member=wrong)
        with pytest.raises(services.FeedbackError):
            quizzes.live_answer(questionnaire=quiz, round_id=shown.pk, choices=[right], member=fast)
    with time_machine.travel(start + timedelta(seconds=19), tick=False):
        quizzes.live_answer(questionnaire=quiz, round_id=shown.pk, choices=[right], member=slow)
    with time_machine.travel(start + timedelta(seconds=21), tick=False):
        with pytest.raises(services.FeedbackError):
            quizzes.live_answer(questionnaire=quiz, round_id=shown.pk, choices=[right], member=make_villager(name="迟"))
    scores = {r.member.name: r.score for r in Response.objects.filter(questionnaire=quiz).select_related("member")}
    assert scores == {"快": 14, "慢": 10, "错": 0}
    assert all(score <= 15 for score in scores.values())  # 10 points + at most half


def test_only_the_question_on_the_screen_can_be_answered(villager):
    quiz, single, multiple, truth = make_live_quiz()
    staff = make_staff("host", roles.STAFF)
    first = quizzes.live_show_next(questionnaire=quiz, by=staff)
    quizzes.live_show_next(questionnaire=quiz, by=staff)
    with pytest.raises(services.FeedbackError):
        quizzes.live_answer(questionnaire=quiz, round_id=first.pk, choices=[single.choices.first()], member=villager)


def test_phones_see_the_current_question_and_staff_drive_the_screen(villager_client, villager):
    quiz, single, *_ = make_live_quiz()
    host = Client()
    host.force_login(make_staff("host", roles.STAFF))
    assert "火警电话" not in villager_client.get(f"/feedback/quizzes/{quiz.pk}/").content.decode()
    host.post(f"/feedback/quizzes/{quiz.pk}/live/")
    assert "火警电话" in host.get(f"/feedback/quizzes/{quiz.pk}/live/").content.decode()
    page = villager_client.get(f"/feedback/quizzes/{quiz.pk}/").content.decode()
    assert "火警电话" in page
    round_id = re.search(r'name="round" value="(\d+)"', page).group(1)
    villager_client.post(
        f"/feedback/quizzes/{quiz.pk}/", {"round": round_id, f"q{single.pk}": single.choices.get(text="119").pk}
    )
    assert Response.objects.get(member=villager).score >= 10
    assert villager_client.get(f"/feedback/quizzes/{quiz.pk}/live/").status_code == 403


def test_the_daily_command_passes_unclaimed_prizes_on(db):
    import io

    import time_machine
    from django.core.management import call_command

    quiz, draw, staff, people = _closed_quiz_with_entrants()
    quizzes.draw_run(questionnaire=quiz, by=staff)
    out = io.StringIO()
    with time_machine.travel(timezone.now() + timedelta(days=quiz.claim_days + 1)):
        call_command("pass_on_unclaimed_prizes", stdout=out)
    assert "passed on 2" in out.getvalue()
    assert DrawEntry.objects.filter(draw__questionnaire=quiz, outcome="promoted").count() == 2


def test_a_quiz_reached_by_its_questionnaire_address_goes_to_the_quiz_page(villager_client):
    quiz, *_ = make_quiz()
    response = villager_client.get(f"/feedback/surveys/{quiz.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/feedback/quizzes/{quiz.pk}/"
    assert f"/feedback/quizzes/{quiz.pk}/" in villager_client.get("/").content.decode()


def test_an_open_named_quiz_asks_a_visitor_to_log_in_and_a_closed_one_answers_no_one(db):
    quiz, *_questions = make_quiz()
    assert Client().get(f"/feedback/quizzes/{quiz.pk}/").status_code == 302
    closed, draw, staff, people = _closed_quiz_with_entrants()
    assert Client().post(f"/feedback/quizzes/{closed.pk}/", {}).status_code == 302  # to the login
    page = Client().get(f"/feedback/quizzes/{closed.pk}/").content.decode()
    assert people[0].name not in page  # entry numbers and masked names only
