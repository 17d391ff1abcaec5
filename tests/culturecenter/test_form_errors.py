"""A form sent back with errors: a summary first in the form, each error linked to its field,
each field pointing at its error, and what was typed still there."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def tag(page, pattern):
    """The opening tag that matches `pattern` (a regex over the tag's attributes)."""
    found = re.search(rf"<[a-z]+\b[^>]*{pattern}[^>]*>", page)
    assert found, pattern
    return found.group(0)


def attribute(opening_tag, name):
    return re.search(rf'\b{name}="([^"]*)"', opening_tag).group(1)


def summary_of(page):
    return re.search(r"<div[^>]*data-error-summary[^>]*>.*?</div>", page, re.S).group(0)


def test_wrong_password_is_announced_and_tied_to_both_fields(client, villager):
    page = client.post("/accounts/login/", {"username": villager.mobile, "password": "wrong-one"}).content.decode()

    summary = summary_of(page)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "手机号（或用户名）与密码不匹配" in summary
    form = page[page.index('<form method="post" novalidate>') :]
    assert form.index("data-error-summary") < form.index("<label")  # read before any field
    for name in ("username", "password"):
        field = tag(page, f'name="{name}"')
        assert attribute(field, "aria-invalid") == "true"
        assert "error-summary" in attribute(field, "aria-describedby").split()
    assert attribute(tag(page, 'name="username"'), "value") == villager.mobile
    assert 'id="error-summary"' in summary
    assert "/static/js/form-errors.js" in page


def test_each_error_in_the_summary_names_its_field_and_links_to_it(client):
    data = {"name": "王建华", "mobile": "138 0000", "password1": PASSWORD}
    page = client.post("/accounts/register/", data).content.decode()

    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary_of(page))
    assert "手机号" in [text.split("：")[0] for _, text in links]
    for field_id, text in links:
        field = tag(page, f'id="{field_id}"')
        assert attribute(field, "aria-invalid") == "true"
        error = text.split("：", 1)[1]
        described = [
            re.search(rf'id="{i}"[^>]*>(.*?)</div>', page, re.S) for i in attribute(field, "aria-describedby").split()
        ]
        assert any(error in d.group(1) for d in described if d)
    assert attribute(tag(page, 'name="name"'), "value") == "王建华"


def test_a_form_without_errors_has_no_summary_and_no_script(client):
    page = client.get("/accounts/login/").content.decode()
    assert "data-error-summary" not in page and "form-errors.js" not in page
