import pytest

from culturecenter.models import Member
from tests.conftest import make_dependant, make_villager

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client):
    for url in ("/accounts/me/", "/accounts/me/household/add/", "/accounts/me/export/", "/accounts/me/delete/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")


def test_me_shows_my_household_but_not_another(villager_client, villager, other_villager):
    make_dependant(villager, name="王小雨")
    make_dependant(other_villager, name="张子涵")

    body = villager_client.get("/accounts/me/").content.decode()

    assert "王小雨" in body
    assert "张子涵" not in body
    assert villager.reader_card in body


def test_villager_edits_their_details(villager_client, villager):
    response = villager_client.post(
        "/accounts/me/",
        {
            "name": "王建华",
            "mobile": "13612345678",
            "email": "wjh@example.com",
            "village": "xidamo",
            "birth_year": "1985",
        },
        follow=True,
    )

    assert "你的信息已保存" in response.content.decode()
    villager.refresh_from_db()
    assert (villager.mobile, villager.village, villager.birth_year) == ("13612345678", "xidamo", 1985)


def test_villager_cannot_take_another_villagers_mobile(villager_client, villager, other_villager):
    response = villager_client.post(
        "/accounts/me/",
        {"name": "王建华", "mobile": other_villager.mobile, "village": "xidamo", "birth_year": "1985"},
    )

    assert "该手机号已注册" in response.content.decode()
    villager.refresh_from_db()
    assert villager.mobile != other_villager.mobile


def test_villager_adds_a_child_without_a_login(villager_client, villager):
    response = villager_client.post(
        "/accounts/me/household/add/", {"name": "王小雨", "village": "xiaqingshui", "birth_year": "2017"}, follow=True
    )

    child = Member.objects.get(name="王小雨")
    assert child.household == villager.household
    assert child.user is None and child.mobile is None
    assert child.reader_card.startswith("R")
    assert child.created_by == villager.user
    assert child.age_group == "child"
    assert "已将王小雨添加为家庭成员" in response.content.decode()


def test_adding_a_member_with_a_future_birth_year_is_refused(villager_client):
    response = villager_client.post(
        "/accounts/me/household/add/", {"name": "王小雨", "village": "xiaqingshui", "birth_year": "2999"}
    )
    assert "请输入 1900 到" in response.content.decode()
    assert not Member.objects.filter(name="王小雨").exists()


def test_villager_edits_their_childs_details(villager_client, villager):
    child = make_dependant(villager)
    villager_client.post(
        f"/accounts/me/household/{child.pk}/", {"name": "王小雨", "village": "xiaqingshui", "birth_year": "2016"}
    )
    child.refresh_from_db()
    assert child.birth_year == 2016


def test_another_households_member_is_404(villager_client, other_villager):
    stranger = make_dependant(other_villager, name="张子涵")

    assert villager_client.get(f"/accounts/me/household/{stranger.pk}/").status_code == 404
    response = villager_client.post(
        f"/accounts/me/household/{stranger.pk}/", {"name": "改名", "village": "xidamo", "birth_year": "2010"}
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.name == "张子涵"


def test_deleting_the_account_erases_personal_data_and_keeps_anonymous_counts(villager_client, villager):
    child = make_dependant(villager)
    user_id = villager.user_id

    wrong = villager_client.post("/accounts/me/delete/", {"password": "not-mine"})
    assert "密码不正确" in wrong.content.decode()

    response = villager_client.post("/accounts/me/delete/", {"password": "correct-horse-42"}, follow=True)

    assert "你的账号和个人信息已删除" in response.content.decode()
    assert not response.context["user"].is_authenticated
    for person in (villager, child):
        person.refresh_from_db()
        assert person.name == "" and person.mobile is None and person.reader_card is None
        assert person.anonymised_at is not None
        assert person.village and person.birth_year  # anonymous counts stay
    from culturecenter.models import User

    assert not User.objects.filter(pk=user_id).exists()
    assert Member.objects.filter(village=villager.village).count() == 2


def test_deleting_keeps_the_household_of_a_second_guardian(villager):
    from culturecenter import services

    spouse = make_villager(name="李红", mobile="13911112222")
    spouse.household = villager.household
    spouse.save()
    child = make_dependant(villager)

    services.account_delete(user=villager.user)

    child.refresh_from_db()
    assert child.name == "王小雨"
    assert child.household == spouse.household


def test_a_household_members_mobile_typed_with_dashes_is_cleaned(villager_client, villager):
    villager_client.post(
        "/accounts/me/household/add/",
        {"name": "王奶奶", "village": "xiaqingshui", "birth_year": "1950", "mobile": "139-0000-1111"},
    )

    assert Member.objects.get(name="王奶奶").mobile == "13900001111"


def test_my_account_opens_with_a_summary_of_next_event_books_due_and_notices(villager_client, villager):
    from datetime import timedelta

    from culturecenter.models import Notice
    from tests.conftest import lend, make_book, make_event, sign_up

    child = make_dependant(villager)
    sign_up(make_event(title="风筝制作", starts_in=timedelta(days=2)), child)
    sign_up(make_event(title="更晚的活动", starts_in=timedelta(days=9)), villager)
    lend(make_book("活着").copies.get(), child, days_ago=26)
    lend(make_book("京西古道").copies.get(), villager)
    Notice.objects.create(member=villager, text="你已获得名额")

    body = villager_client.get("/accounts/me/").content.decode()
    summary = body.split('id="summary-heading"', 1)[1].split("</section>", 1)[0]

    assert "下一场活动" in summary and "风筝制作" in summary and "更晚的活动" not in summary
    assert "即将到期的书" in summary and "活着" in summary and "京西古道" not in summary
    assert "1 条未读通知" in summary
    for anchor in ("#signups-heading", "#loans-heading", "#household-heading", "#details-heading", "#data-heading"):
        assert f'href="{anchor}"' in body
    assert "<details" in body.split('id="details-heading"', 1)[1]  # the profile form is folded away


def test_staff_forms_clean_a_spaced_mobile_in_the_admin(client, villager):
    from culturecenter import roles
    from tests.conftest import make_staff

    client.force_login(make_staff("desk", roles.STAFF))
    client.post(
        "/admin/culturecenter/member/add/",
        {"name": "赵大爷", "mobile": "138 0000 2222", "village": "xidamo", "birth_year": "1948", "email": ""},
    )

    assert Member.objects.get(name="赵大爷").mobile == "13800002222"
