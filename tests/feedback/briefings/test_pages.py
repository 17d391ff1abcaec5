"""The briefing pages as staff, reviewers, villagers and visitors meet them."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from feedback.briefings import document, pdf, services
from feedback.models import Briefing, Evaluation
from tests.conftest import make_villager
from tests.feedback.briefings.conftest import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(march, author, head):
    briefing = draft(author)
    services.briefing_write(briefing=briefing, texts={"overview": "三月开展两场活动。"}, by=author)
    return services.briefing_sign(briefing=briefing, by=head)


def test_staff_draft_a_briefing_for_a_quarter_and_see_its_figures(client, march, author):
    client.force_login(author)
    response = client.post("/feedback/briefings/new/", {"span": "quarter", "year": "2026", "quarter": "1", "title": ""})
    briefing = Briefing.objects.get()
    assert (briefing.starts_on, briefing.ends_on, briefing.title) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
        "2026年第1季度",
    )
    page = client.get(response.url).content.decode()
    assert "总体情况" in page and "以需定供" in page and "草稿" in page
    assert "签发" in page


def test_staff_write_the_prose_and_a_note_but_cannot_type_a_figure(client, march, author):
    briefing = draft(author)
    client.force_login(author)
    client.post(
        f"/feedback/briefings/{briefing.pk}/texts/",
        {"text_overview": "本月活动平稳。", "note_overview.held": "含一场补录", "figure_overview.held": "99"},
    )
    briefing.refresh_from_db()
    assert briefing.texts == {"overview": "本月活动平稳。"}
    assert briefing.annotations == {"overview.held": "含一场补录"}
    figures = document.figures_by_key(document.snapshot(briefing))
    assert figures["overview.held"]["value"] == 2
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert "含一场补录" in page and "本月活动平稳。" in page


def test_only_a_reviewer_who_did_not_write_it_sees_the_sign_off_button_and_can_use_it(client, march, author, head):
    briefing = draft(author)
    client.force_login(author)
    assert "签发后简报获得期号" not in client.get(briefing.get_absolute_url()).content.decode()
    assert client.post(f"/feedback/briefings/{briefing.pk}/sign/").status_code == 403
    client.force_login(head)
    assert "签发后简报获得期号" in client.get(briefing.get_absolute_url()).content.decode()
    client.post(f"/feedback/briefings/{briefing.pk}/sign/")
    briefing.refresh_from_db()
    assert briefing.is_signed and briefing.signed_by == head


def test_the_frozen_briefing_opens_from_its_stored_page_in_a_few_queries(
    client, signed, head, django_assert_max_num_queries
):
    client.force_login(head)
    with django_assert_max_num_queries(12):  # the site frame (login, menu, hours) and two of its own
        page = client.get(signed.get_absolute_url()).content.decode()
    assert "2026年第1期（总第1期）" in page
    assert "三月开展两场活动。" in page


def test_the_xlsx_holds_every_figure_as_the_page_shows_it(client, signed, author):
    client.force_login(author)
    response = client.get(f"/feedback/briefings/{signed.pk}/briefing.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    figures = {row[1]: row[3] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    page = client.get(signed.get_absolute_url()).content.decode()
    for fig in document.figures_by_key(signed.snapshot).values():
        assert figures[fig["label"]] == fig["display"]
        assert fig["display"] in page
    events = book["activities.events"]
    assert [row[1] for row in events.iter_rows(min_row=2, values_only=True)] == ["掐丝珐琅", "读书会"]


def test_the_print_page_is_a4_and_has_the_whole_briefing(client, signed, author):
    client.force_login(author)
    page = client.get(f"/feedback/briefings/{signed.pk}/print/").content.decode()
    assert "briefing.css" in page and "工作简报" in page and "存在问题与下步打算" in page


@pytest.mark.skipif(bool(pdf.unavailable()), reason="WeasyPrint or Pango is not installed here")
def test_the_pdf_is_made_from_the_same_page(client, signed, author):
    client.force_login(author)
    response = client.get(f"/feedback/briefings/{signed.pk}/briefing.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000


def test_without_weasyprint_the_pdf_link_says_why(client, signed, author, monkeypatch):
    monkeypatch.setattr(pdf, "unavailable", lambda: "Pango is missing")
    client.force_login(author)
    response = client.get(f"/feedback/briefings/{signed.pk}/briefing.pdf")
    assert response.status_code == 200
    assert "Pango is missing" in response.content.decode() and "打印页" in response.content.decode()


def test_villagers_read_the_public_summary_without_personal_data(client, signed):
    Evaluation.objects.filter(improve="声音太小").update(improve="声音太小")
    page = client.get("/briefings/").content.decode()
    assert "2026年第1期" in page
    summary = client.get(f"/briefings/{signed.pk}/").content.decode()
    assert "三月开展两场活动。" in summary
    assert "声音太小" not in summary  # comments stay with staff
    assert "残疾人" not in summary and "困难群众" not in summary


def test_drafts_are_not_public(client, march, author):
    assert client.get(f"/briefings/{draft(author).pk}/").status_code == 404


def test_villagers_and_visitors_cannot_open_the_staff_pages(client, signed):
    for path in ("/feedback/briefings/", f"/feedback/briefings/{signed.pk}/", "/feedback/indicators/targets/"):
        assert client.get(path).status_code == 302
    client.force_login(make_villager(name="庚").user)
    for path in ("/feedback/briefings/", f"/feedback/briefings/{signed.pk}/", "/feedback/indicators/targets/"):
        assert client.get(path).status_code == 403


def test_the_indicators_show_the_year_to_date_against_targets_and_what_needs_attention(
    client, march, author, django_assert_max_num_queries
):
    client.force_login(author)
    with django_assert_max_num_queries(60):  # the site frame and the briefing's fixed set, whatever the rows
        page = client.get("/feedback/indicators/targets/").content.decode()
    assert "本年累计开展活动" in page and "需要关注" in page and "未达标" in page
    assert "各月开展活动场次" in page


def test_the_admin_keeps_signed_briefings_read_only_and_the_targets_editable(client, signed, head):
    client.force_login(head)
    assert client.get(f"/admin/feedback/briefing/{signed.pk}/delete/").status_code == 403
    response = client.post(f"/admin/feedback/briefing/{signed.pk}/change/", {"title": "改"})
    assert Briefing.objects.get(pk=signed.pk).title == "2026年3月"
    assert response.status_code in (200, 403)
    page = client.get("/admin/feedback/briefingtargets/1/change/")
    assert page.status_code == 200 and "每周开放时长" in page.content.decode()


def test_a_corrected_briefing_is_listed_once_publicly_as_its_newest_version(client, signed, author, head):
    correction = services.briefing_revise(briefing=signed, note="补充说明", by=author)
    services.briefing_sign(briefing=correction, by=head)
    page = client.get("/briefings/").content.decode()
    assert page.count("2026年第1期") == 1 and "第2版" in page


def test_staff_see_a_draft_correction_show_what_changed_before_it_is_signed(client, signed, author, people):
    from tests.feedback.briefings.conftest import came, held

    correction = services.briefing_revise(briefing=signed, note="补录", by=author)
    came(held("补录的活动", date(2026, 3, 28)), people["戊"])
    client.force_login(author)
    page = client.get(correction.get_absolute_url()).content.decode()
    assert "与第1版相比的变化" in page and "补录的活动" in page
