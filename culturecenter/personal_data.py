"""The center's own sections of “Download my data”: the people and their notices."""

from django.utils.translation import gettext_lazy as _

from culturecenter.lib.personal_data import DataSection, label, register, when, yes_no
from culturecenter.models import Member, Notice


def _people(people):
    for m in people:
        yield {
            "name": m.name,
            "mobile": m.mobile,
            "email": m.email,
            "village": m.get_village_display(),
            "birth_year": m.birth_year,
            "age_group": m.get_age_group_display(),
            "reader_card": m.reader_card,
            "is_disabled": yes_no(m.is_disabled),
            "has_hardship": yes_no(m.has_hardship),
            "has_login": yes_no(m.has_login),
            "last_login": when(m.user.last_login) if m.user else "",
            "created_at": when(m.created_at),
            "consented_at": when(m.consented_at),
        }


def _notices(people):
    for notice in Notice.objects.filter(member__in=people).select_related("member").order_by("-created_at", "-pk"):
        yield {
            "member": notice.member.name,
            "text": notice.text,
            "url": notice.url,
            "created_at": notice.created_at,
            "read_at": notice.read_at,
        }


def register_sections():
    register(
        DataSection(
            key="people",
            title=_("Me and my household"),
            columns=[
                ("name", label(Member, "name")),
                ("mobile", label(Member, "mobile")),
                ("email", label(Member, "email")),
                ("village", label(Member, "village")),
                ("birth_year", label(Member, "birth_year")),
                ("age_group", _("age group")),
                ("reader_card", label(Member, "reader_card")),
                ("is_disabled", label(Member, "is_disabled")),
                ("has_hardship", label(Member, "has_hardship")),
                ("has_login", _("has a login")),
                ("last_login", _("last login")),
                ("created_at", label(Member, "created_at")),
                ("consented_at", label(Member, "consented_at")),
            ],
            rows=_people,
        )
    )
    register(
        DataSection(
            key="notices",
            title=_("Notices"),
            columns=[
                ("member", label(Notice, "member")),
                ("text", label(Notice, "text")),
                ("url", label(Notice, "url")),
                ("created_at", label(Notice, "created_at")),
                ("read_at", label(Notice, "read_at")),
            ],
            rows=_notices,
        )
    )
