"""签发: who may sign, what freezes, the numbers, versions and the next steps followed up."""

from datetime import date, timedelta

import pytest

from culturecenter import roles
from feedback.briefings import document, services
from feedback.models import Briefing, Evaluation, Need
from feedback.services import FeedbackError
from tests.conftest import make_staff, make_villager
from tests.feedback.briefings.conftest import came, draft, held

pytestmark = pytest.mark.django_db


def test_the_author_cannot_sign_off_their_own_briefing(head):
    own = draft(head)
    with pytest.raises(FeedbackError, match="撰稿人不能签发"):
        services.briefing_sign(briefing=own, by=head)
    assert Briefing.objects.get(pk=own.pk).state == Briefing.State.DRAFT


def test_staff_who_are_not_reviewers_cannot_sign_off(author):
    other = make_staff("staff2", roles.STAFF)
    with pytest.raises(FeedbackError, match="只有审核人"):
        services.briefing_sign(briefing=draft(author), by=other)


def test_numbers_run_per_year_without_gaps_and_supplements_have_their_own(author, head):
    first = services.briefing_sign(briefing=draft(author), by=head)
    abandoned = draft(author, first=date(2026, 4, 1), last=date(2026, 4, 30))  # a draft takes no number
    supplement = services.briefing_sign(briefing=draft(author, kind=Briefing.Kind.SUPPLEMENT), by=head)
    second = services.briefing_sign(briefing=draft(author, first=date(2026, 5, 1), last=date(2026, 5, 31)), by=head)
    next_year = services.briefing_sign(briefing=draft(author, first=date(2027, 1, 1), last=date(2027, 1, 31)), by=head)
    assert (first.number, first.total_number) == (1, 1)
    assert (second.number, second.total_number) == (2, 2)
    assert (next_year.year, next_year.number, next_year.total_number) == (2027, 1, 3)
    assert (supplement.number, supplement.total_number) == (1, None)
    assert second.issue_label == "2026年第2期（总第2期）"
    assert supplement.issue_label == "2026年增刊第1期"
    assert abandoned.number is None


def test_a_signed_briefing_reads_the_same_after_the_data_changes(march, author, head, people):
    signed = services.briefing_sign(briefing=draft(author), by=head)
    before = (signed.snapshot, signed.html)
    came(held("补录的活动", date(2026, 3, 28)), people["戊"])
    Evaluation.objects.all().delete()
    march["first"].title = "改了名字"
    march["first"].save()
    again = Briefing.objects.get(pk=signed.pk)
    assert (again.snapshot, again.html) == before
    assert document.figures_by_key(again.snapshot)["overview.held"]["value"] == 2
    assert "掐丝珐琅" in again.html


def test_a_signed_briefing_cannot_be_edited_or_have_steps_added(author, head):
    signed = services.briefing_sign(briefing=draft(author), by=head)
    with pytest.raises(FeedbackError, match="已签发"):
        services.briefing_write(briefing=signed, texts={"overview": "改写"}, by=author)
    with pytest.raises(FeedbackError, match="已签发"):
        services.next_step_add(briefing=signed, text="再加一条", by=author)
    with pytest.raises(FeedbackError, match="已签发"):
        services.briefing_sign(briefing=signed, by=make_staff("head2", roles.REVIEWER))


def test_a_correction_is_a_new_version_with_the_same_number_and_shows_what_changed(march, author, head, people):
    original = draft(author)
    services.briefing_write(briefing=original, texts={"overview": "三月开展两场活动。"}, by=author)
    original = services.briefing_sign(briefing=original, by=head)
    came(held("补录的活动", date(2026, 3, 28)), people["戊"])
    correction = services.briefing_revise(briefing=original, note="补录3月28日活动", by=author)
    assert correction.texts == {"overview": "三月开展两场活动。"}
    services.briefing_write(briefing=correction, texts={"overview": "三月开展三场活动。"}, by=author)
    correction = services.briefing_sign(briefing=correction, by=head)
    assert (correction.number, correction.version) == (original.number, 2)
    assert correction.issue_label == "2026年第1期（总第1期） · 第2版"
    changed = {c["key"]: (c["before"], c["after"]) for c in correction.changes}
    assert changed["overview.held"] == ("2场", "3场")
    assert changed["overview"] == ("三月开展两场活动。", "三月开展三场活动。")
    assert "补录3月28日活动" in correction.html
    with pytest.raises(FeedbackError, match="已有更正版本"):
        services.briefing_revise(briefing=original, note="再改", by=author)


def test_next_steps_are_followed_up_in_the_next_briefing(author, head, people):
    poster = make_villager(name="庚")
    need = Need.objects.create(posted_by=poster, category="arts", village="xidamo", text="书法班", state="accepted")
    planned = held("书法班第一课", date(2026, 4, 10), category="arts")
    march = draft(author)
    services.next_step_add(briefing=march, text="四月开书法班", needs=[need], events=[planned], by=author)
    services.next_step_add(briefing=march, text="整理档案", by=author)
    services.briefing_sign(briefing=march, by=head)
    april = draft(author, first=date(2026, 4, 1), last=date(2026, 4, 30))
    carried = document.snapshot(april)["sections"][-1]["extra"]["carried"]
    assert [(s["text"], s["state"]) for s in carried] == [("四月开书法班", "under_way"), ("整理档案", "unlinked")]
    Evaluation.objects.create(event=planned, rating=5)
    need.state = Need.State.DELIVERED
    need.save()
    carried = document.snapshot(april)["sections"][-1]["extra"]["carried"]
    assert carried[0]["state"] == "done"
    assert carried[0]["state_label"] == "已完成"


def test_needs_move_to_evaluated_when_their_events_are_held_and_evaluated(people):
    from django.core.management import call_command

    from culturecenter.models import Notice
    from feedback.models import NeedEvent

    supporter = make_villager(name="辛")
    need = Need.objects.create(
        posted_by=people["甲"], category="arts", village="xidamo", text="书法", state="scheduled"
    )
    need.supports.create(member=supporter)
    first = held("书法一", date(2026, 11, 1))
    second = held("书法二", date(2026, 11, 20))
    for event in (first, second):
        NeedEvent.objects.create(need=need, event=event)
    Evaluation.objects.create(event=first, rating=5)
    call_command("needs_follow_events")
    need.refresh_from_db()
    assert need.state == Need.State.SCHEDULED, "one event is not evaluated yet"
    Evaluation.objects.create(event=second, rating=3)
    call_command("needs_follow_events")
    need.refresh_from_db()
    assert need.state == Need.State.EVALUATED
    last = need.steps.order_by("at", "pk").last()
    assert last.state == Need.State.EVALUATED
    assert "50%" in last.reply and "2" in last.reply
    told = set(Notice.objects.filter(text__contains="满意率50%").values_list("member__name", flat=True))
    assert told == {"甲", "辛"}
    assert services.needs_follow_events() == 0, "a need moves once"


def test_a_need_with_a_cancelled_or_future_event_does_not_move(people):
    from feedback.models import NeedEvent

    need = Need.objects.create(
        posted_by=people["甲"], category="arts", village="xidamo", text="书法", state="scheduled"
    )
    cancelled = held("取消", date(2026, 11, 1), status="cancelled")
    Evaluation.objects.create(event=cancelled, rating=5)
    NeedEvent.objects.create(need=need, event=cancelled)
    later = held("以后", date(2026, 11, 1) + timedelta(days=40))
    NeedEvent.objects.create(need=need, event=later)
    assert services.needs_follow_events() == 0
