"""A script cannot flood the questionnaires or the needs board; a villager never notices the limits."""

import pytest
from django.test import Client

from feedback.models import Need, NeedReport, NeedSupport, Response
from tests.conftest import make_villager
from tests.feedback.test_evaluations_and_needs import post_need
from tests.feedback.test_questionnaires import data_for, make_questionnaire

pytestmark = pytest.mark.django_db


def test_cookieless_answers_from_one_address_stop_at_the_limit_and_keep_what_was_typed(settings):
    settings.ANONYMOUS_ANSWERS_PER_ADDRESS_PER_HOUR = 3
    q = make_questionnaire(anonymous=True)
    data, _questions = data_for(q)
    for _n in range(3):
        assert "谢谢" in Client().post(f"/feedback/surveys/{q.pk}/", data).content.decode()

    refused = Client().post(f"/feedback/surveys/{q.pk}/", data)
    elsewhere = Client().post(f"/feedback/surveys/{q.pk}/", data, REMOTE_ADDR="10.1.2.3")

    assert refused.status_code == 429
    body = refused.content.decode()
    assert "这个网络连接已提交了很多份答卷" in body and "希望多办书法班" in body
    assert "谢谢" in elsewhere.content.decode()
    assert Response.objects.count() == 4


def test_the_default_limit_lets_twenty_cookieless_answers_through_in_an_hour():
    q = make_questionnaire(anonymous=True)
    data, _questions = data_for(q)
    statuses = [Client().post(f"/feedback/surveys/{q.pk}/", data).status_code for _n in range(21)]

    assert statuses == [200] * 20 + [429]
    assert Response.objects.count() == 20


def test_the_sixth_need_of_the_day_is_refused_and_its_text_kept(villager_client, villager):
    for n in range(5):
        post_need(villager_client, text=f"希望开设书法班第{n}期")

    response = post_need(villager_client, text="希望开设剪纸班，周末上午")

    assert response.status_code == 429
    body = response.content.decode()
    assert "您今天已发布了很多条需求" in body and "希望开设剪纸班，周末上午" in body
    assert Need.objects.filter(posted_by=villager).count() == 5


def test_needs_from_one_address_are_limited_across_logins(settings, villager_client, other_villager):
    settings.NEEDS_PER_ADDRESS_PER_DAY = 2
    for n in range(2):
        post_need(villager_client, text=f"希望开设书法班第{n}期")
    neighbour = Client()
    neighbour.force_login(other_villager.user)

    response = post_need(neighbour)

    assert response.status_code == 429
    assert Need.objects.count() == 2


def test_plus_ones_and_reports_of_one_member_stop_at_the_hourly_limit(settings, villager_client):
    settings.SUPPORTS_PER_MEMBER_PER_HOUR = 3
    poster = make_villager(name="李秀兰")
    needs = [
        Need.objects.create(posted_by=poster, category="arts", village="xidamo", text=f"书法班{n}") for n in range(5)
    ]
    for need in needs[:2]:
        villager_client.post(f"/feedback/needs/{need.pk}/support/")
    villager_client.post(f"/feedback/needs/{needs[2].pk}/support/", {"action": "report"})

    support = villager_client.post(f"/feedback/needs/{needs[3].pk}/support/", follow=True)
    report = villager_client.post(f"/feedback/needs/{needs[4].pk}/support/", {"action": "report"}, follow=True)

    assert "短时间内的点赞和举报太多了" in support.content.decode()
    assert "短时间内的点赞和举报太多了" in report.content.decode()
    assert NeedSupport.objects.count() == 2 and NeedReport.objects.count() == 1


def test_plus_ones_from_one_address_are_limited_across_logins(settings):
    settings.SUPPORTS_PER_ADDRESS_PER_HOUR = 2
    need = Need.objects.create(posted_by=make_villager(), category="arts", village="xidamo", text="书法班")
    for n in range(3):
        client = Client()
        client.force_login(make_villager(name=f"村民{n}").user)
        client.post(f"/feedback/needs/{need.pk}/support/")

    assert NeedSupport.objects.count() == 2
    need.refresh_from_db()
    assert need.support_count == 2
