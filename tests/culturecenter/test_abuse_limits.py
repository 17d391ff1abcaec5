"""A script cannot probe which mobiles are registered, nor make accounts by the hundred."""

import pytest

from culturecenter.models import Member
from tests.conftest import make_villager
from tests.culturecenter.test_registration import URL, form_data

pytestmark = pytest.mark.django_db

REFUSED = "这个网络连接注册的账号太多了"


def test_the_eleventh_already_registered_probe_within_an_hour_is_refused_and_learns_nothing(client):
    taken = make_villager(mobile="13712345678")
    for _n in range(10):
        assert "该手机号已注册" in client.post(URL, form_data(mobile=taken.mobile)).content.decode()

    response = client.post(URL, form_data(mobile=taken.mobile))

    assert response.status_code == 429
    body = response.content.decode()
    assert REFUSED in body and "该手机号已注册" not in body
    assert 'value="张秀英"' in body  # what was typed is still in the form


def test_no_account_is_made_beyond_the_limit_but_typing_mistakes_and_other_addresses_are_not_counted(client):
    for _n in range(5):
        client.post(URL, form_data(password2="another-password-9"))
    for n in range(10):
        client.post(URL, form_data(mobile=f"1371234560{n}"))
        client.post("/accounts/logout/")

    refused = client.post(URL, form_data(mobile="13712345699"))
    elsewhere = client.post(URL, form_data(mobile="13712345698"), REMOTE_ADDR="10.1.2.3")

    assert refused.status_code == 429 and REFUSED in refused.content.decode()
    assert elsewhere.status_code == 302
    assert Member.objects.filter(mobile__startswith="1371234569").count() == 1
    assert Member.objects.count() == 11
