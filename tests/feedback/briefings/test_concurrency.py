"""Real threads against PostgreSQL: two reviewers signing off at once get consecutive numbers."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections

from culturecenter import roles
from feedback.briefings import services
from feedback.models import Briefing
from tests.conftest import make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_drafts_signed_off_at_the_same_moment_get_numbers_without_gaps_or_duplicates():
    author = make_staff("staff", roles.STAFF)
    heads = [make_staff(f"head{n}", roles.REVIEWER) for n in range(4)]
    drafts = [
        services.briefing_create(title=f"{month}月", first=date(2026, month, 1), last=date(2026, month, 28), by=author)
        for month in range(1, 5)
    ]
    barrier = threading.Barrier(len(drafts))

    def sign(pair):
        briefing, head = pair
        try:
            barrier.wait()
            return services.briefing_sign(briefing=briefing, by=head).number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(drafts)) as pool:
        numbers = list(pool.map(sign, zip(drafts, heads, strict=True)))
    assert sorted(numbers) == [1, 2, 3, 4]
    assert sorted(Briefing.objects.values_list("total_number", flat=True)) == [1, 2, 3, 4]
