import pytest
from django.urls import reverse

from culturecenter.models import Member, User
from tests.conftest import make_villager

pytestmark = pytest.mark.django_db

URL = "/accounts/register/"


def form_data(**overrides):
    data = {
        "name": "张秀英",
        "mobile": "13712345678",
        "email": "",
        "village": "yanjiatai",
        "birth_year": "1975",
        "password1": "qingshui-reader-7",
        "password2": "qingshui-reader-7",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_villager_registers_and_is_logged_in_with_a_reader_card(client):
    response = client.post(URL, form_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("me")
    member = Member.objects.get(mobile="13712345678")
    assert member.name == "张秀英"
    assert member.reader_card.startswith("R")
    assert member.consented_at is not None
    assert member.household is not None
    assert response.context["user"] == member.user
    assert member.reader_card in response.content.decode()


def test_registered_villager_logs_in_with_mobile_number(client):
    client.post(URL, form_data())
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"username": "13712345678", "password": "qingshui-reader-7"})

    assert response.status_code == 302
    assert response.url == reverse("me")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mobile", "12345678901", "请输入以 13–19 开头的 11 位手机号"),
        ("mobile", "1381234567", "请输入以 13–19 开头的 11 位手机号"),
        ("mobile", "138123456789", "11"),
        ("password1", "12345678", "密码"),
        ("password1", "short", "密码"),
        ("birth_year", "2999", "请输入 1900 到"),
        ("birth_year", "1899", "请输入 1900 到"),
        ("birth_year", "nineteen", "整数"),
        ("name", "张" * 31, "不超过 30 字符"),
        ("name", "<script>alert(1)</script>", "姓名中不能包含"),
        ("village", "atlantis", "选择一个有效的选项"),
        ("email", "not-an-email", "有效的 Email 地址"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(client, field, value, message):
    overrides = {field: value}
    if field == "password1":
        overrides["password2"] = value
    response = client.post(URL, form_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Member.objects.exists()
    assert not User.objects.exists()


def test_registration_without_consent_is_refused(client):
    data = form_data()
    del data["consent"]
    response = client.post(URL, data)

    assert "请先阅读并同意隐私声明" in response.content.decode()
    assert not Member.objects.exists()


def test_mobile_already_registered_is_refused(client):
    make_villager(mobile="13712345678")
    response = client.post(URL, form_data())

    assert "该手机号已注册" in response.content.decode()
    assert Member.objects.count() == 1


def test_mismatched_passwords_are_refused(client):
    response = client.post(URL, form_data(password2="something-else-9"))

    assert "两次输入的密码不一致" in response.content.decode()
    assert not Member.objects.exists()


def test_script_in_a_field_is_shown_escaped_never_run(client):
    response = client.post(URL, form_data(name="<script>alert(1)</script>"))

    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_logged_in_villager_is_sent_to_their_account(villager_client):
    response = villager_client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("me")


def test_registration_page_links_the_privacy_notice(client):
    response = client.get(URL)
    assert 'href="/privacy/"' in response.content.decode()
    privacy = client.get("/privacy/").content.decode()
    for heading in ("我们保存哪些信息", "为什么保存", "保存多久", "你的权利"):
        assert heading in privacy


def test_mobile_taken_between_form_check_and_save_gets_the_same_message(client, monkeypatch):
    from culturecenter import services

    def register_after_a_neighbour(**fields):
        make_villager(mobile=fields["mobile"])
        return original(**fields)

    original = services.member_register
    monkeypatch.setattr(services, "member_register", register_after_a_neighbour)

    response = client.post(URL, form_data())

    assert response.status_code == 200
    assert "该手机号已注册" in response.content.decode()
    assert Member.objects.count() == 1


@pytest.mark.parametrize("typed", ["137 1234 5678", "137-1234-5678", "１３７１２３４５６７８", "+86 137 1234 5678"])
def test_a_mobile_typed_with_spaces_dashes_or_full_width_digits_is_cleaned_not_refused(client, typed):
    response = client.post(URL, form_data(mobile=typed))

    assert response.status_code == 302
    assert Member.objects.get().mobile == "13712345678"


def test_the_register_link_on_the_login_page_keeps_where_the_newcomer_was_going(client):
    body = client.get("/accounts/login/?next=/activities/7/").content.decode()

    assert 'href="/accounts/register/?next=/activities/7/"' in body


def test_after_registering_the_newcomer_returns_to_the_event(client):
    page = client.get(f"{URL}?next=/activities/7/").content.decode()
    assert 'name="next" value="/activities/7/"' in page

    response = client.post(URL, {**form_data(), "next": "/activities/7/"})

    assert response.status_code == 302 and response.url == "/activities/7/"
    client.post("/accounts/logout/")
    elsewhere = client.post(URL, {**form_data(mobile="13712345679"), "next": "https://evil.example/"})
    assert elsewhere.url == reverse("me")  # never onwards to another site
