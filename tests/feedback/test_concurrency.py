"""Double submits at the same instant, on PostgreSQL with real threads."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from feedback import services
from feedback.models import Need, NeedSupport, Questionnaire, Response
from tests.conftest import make_villager

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def together(work, times=6):
    barrier = threading.Barrier(times)

    def attempt(_index):
        try:
            barrier.wait()
            work()
        except services.FeedbackError:
            pass
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=times) as pool:
        list(pool.map(attempt, range(times)))


def test_one_response_and_one_support_however_many_taps():
    member = make_villager()
    now = timezone.now()
    questionnaire = Questionnaire.objects.create(
        title="调查", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    need = Need.objects.create(posted_by=make_villager(), category="arts", village="xidamo", text="书法班")

    together(lambda: services.response_submit(questionnaire=questionnaire, answers={}, member=member))
    together(lambda: services.need_support(need=need, member=member))

    assert Response.objects.filter(member=member).count() == 1
    assert NeedSupport.objects.filter(member=member).count() == 1
    need.refresh_from_db()
    assert need.support_count == 1
