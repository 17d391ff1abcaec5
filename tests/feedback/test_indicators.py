"""Awareness, participation and satisfaction rates with n and margins; registry coverage per village."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import indicators, services
from feedback.models import Choice, Question, Questionnaire, VillagePopulation
from tests.conftest import lend, make_book, make_event, make_villager, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs_survey(db):
    now = timezone.now()
    survey = Questionnaire.objects.create(
        title="群众文化需求调查", opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=10)
    )
    aware = Question.objects.create(
        questionnaire=survey, text="您知道清水文化中心吗？", kind="single", indicator="aware"
    )
    yes = Choice.objects.create(question=aware, text="知道", counts_as="yes")
    no = Choice.objects.create(question=aware, text="不知道", counts_as="no")
    unsure = Choice.objects.create(question=aware, text="不清楚", counts_as="unknown")
    happy = Question.objects.create(questionnaire=survey, text="满意吗？", kind="rating", indicator="satisfied")
    return survey, aware, (yes, no, unsure), happy


def paper(survey, answers, village="xiaqingshui"):
    return services.response_submit(questionnaire=survey, answers=answers, channel="paper", village=village)


def test_awareness_rate_leaves_dont_know_out_of_n_with_a_normal_margin(needs_survey):
    survey, aware, (yes, no, unsure), _happy = needs_survey
    for choice, times in ((yes, 14), (no, 6), (unsure, 5)):
        for _ in range(times):
            paper(survey, {aware: ([choice], "")})
    rate = indicators.indicator_rates(indicators.indicator_responses(questionnaire=survey))[0]
    assert (rate.answered, rate.valid, rate.positive) == (25, 20, 14)
    assert rate.rate == pytest.approx(0.7)
    assert rate.valid_share == pytest.approx(0.8)
    assert rate.margin == pytest.approx(1.96 * math.sqrt(0.7 * 0.3 / 20))
    assert rate.small_sample


def test_satisfaction_from_ratings_counts_four_and_five(needs_survey):
    survey, _aware, _choices, happy = needs_survey
    for stars in (5, 4, 4, 3, 2):
        paper(survey, {happy: stars})
    rate = indicators.indicator_rates(indicators.indicator_responses(questionnaire=survey))[0]
    assert (rate.valid, rate.positive, rate.indicator) == (5, 3, "satisfied")


def test_rates_follow_the_village_filter(needs_survey):
    survey, aware, (yes, no, _unsure), _happy = needs_survey
    paper(survey, {aware: ([yes], "")}, village="huangantuo")
    paper(survey, {aware: ([no], "")}, village="xiaqingshui")
    rate = indicators.indicator_rates(indicators.indicator_responses(village="huangantuo"))[0]
    assert (rate.valid, rate.positive) == (1, 1)


def test_results_page_shows_the_rate_with_n_and_a_small_sample_note(needs_survey, staff_client):
    survey, aware, (yes, no, _unsure), _happy = needs_survey
    paper(survey, {aware: ([yes], "")})
    paper(survey, {aware: ([no], "")})
    page = staff_client.get(f"/feedback/surveys/{survey.pk}/results/").content.decode()
    assert "50.0%" in page and "不足 30" in page
    assert "50.0%" in staff_client.get("/feedback/indicators/rates/").content.decode()


def test_coverage_counts_distinct_residents_with_any_check_in_per_village(db):
    VillagePopulation.objects.create(village="huangantuo", population=200, as_of=timezone.localdate())
    VillagePopulation.objects.create(village="xiaqingshui", population=500, as_of=timezone.localdate())
    event = make_event(starts_in=-timedelta(days=3))
    a = make_villager(village="huangantuo")
    b = make_villager(name="李秀兰", village="huangantuo")
    c = make_villager(name="张卫东", village="xiaqingshui")
    sign_up(event, a, checked_in_at=timezone.now() - timedelta(days=3))
    sign_up(event, b)  # signed up, did not come
    lend(make_book().copies.get(), a)  # the same person again: counted once
    lend(make_book("京西古道").copies.get(), c)
    today = timezone.localdate()
    rows = {row.village: row for row in indicators.registry_coverage(today - timedelta(days=30), today)}
    assert rows["huangantuo"].reached == 1 and rows["huangantuo"].rate == pytest.approx(1 / 200)
    assert rows["xiaqingshui"].reached == 1 and rows["xiaqingshui"].rate_percent == 0.2


def test_villagers_cannot_open_the_indicators(villager_client):
    assert villager_client.get("/feedback/indicators/rates/").status_code == 403
