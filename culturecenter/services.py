"""Workflows on members and households that touch several rows."""

import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from culturecenter.models import Household, Member, Notice, User

logger = logging.getLogger(__name__)


@transaction.atomic
def member_register(*, name: str, mobile: str, password: str, village: str, birth_year: int, email: str = "") -> Member:
    """A villager signs themself up: a login, a household they manage, a reader card."""
    user = User.objects.create_user(username=f"v-{uuid.uuid4().hex[:20]}", password=password, email=email)
    household = Household.objects.create(name=name)
    member = Member.objects.create(
        user=user,
        household=household,
        name=name,
        mobile=mobile,
        email=email,
        village=village,
        birth_year=birth_year,
        consented_at=timezone.now(),
    )
    member.assign_reader_card()
    return member


@transaction.atomic
def household_member_add(
    *, guardian: Member, name: str, village: str, birth_year: int, mobile: str | None = None
) -> Member:
    """Add a person without a login (a child, an elderly parent) to the guardian's household."""
    if guardian.household_id is None:
        guardian.household = Household.objects.create(name=guardian.name)
        guardian.save(update_fields=["household"])
    member = Member.objects.create(
        household=guardian.household, name=name, village=village, birth_year=birth_year, mobile=mobile or None
    )
    member.assign_reader_card()
    return member


@transaction.atomic
def member_add_at_desk(*, name: str, village: str, birth_year: int, mobile: str | None = None) -> Member:
    """Someone new at the desk or the door, often an elderly villager without a phone or a
    login: a member with a reader card. Callers look for lookalikes first."""
    member = Member.objects.create(name=name, village=village, birth_year=birth_year, mobile=mobile or None)
    member.assign_reader_card()
    return member


def member_export(*, user: User) -> dict:
    """Everything the portal keeps about this villager and the household they manage."""
    member = user.member
    people = Member.objects.managed_by(user).select_related("household")

    def person(m: Member) -> dict:
        return {
            "name": m.name,
            "mobile": m.mobile,
            "email": m.email,
            "village": m.get_village_display(),
            "birth_year": m.birth_year,
            "age_group": m.get_age_group_display(),
            "reader_card": m.reader_card,
            "person_with_disability": m.is_disabled,
            "household_in_hardship": m.has_hardship,
            "has_login": m.has_login,
            "registered_at": m.created_at.isoformat(),
            "privacy_notice_accepted_at": m.consented_at.isoformat() if m.consented_at else None,
        }

    return {
        "exported_at": timezone.now().isoformat(),
        "login": {
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login and user.last_login.isoformat(),
        },
        "me": person(member),
        "household": [person(m) for m in people if m.pk != member.pk],
    }


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Erase a villager's personal data. Their household members without a login go
    with them unless another member of the household still has a login. Village and
    birth year stay on the anonymised rows so the center's anonymous counts stay right."""
    member = Member.objects.select_for_update().get(user=user)
    if member.household_id is not None:
        household = Member.objects.filter(household_id=member.household_id).exclude(pk=member.pk)
        if not household.filter(user__isnull=False).exists():
            for dependant in household.select_for_update():
                dependant.anonymise()
    member.anonymise()
    user.delete()


def notify(*, member: Member, text: str, url: str = "") -> Notice:
    """Tell a villager something: a notice on “My account”, and an email to them or,
    for a child without an address, to the household's guardians who have one.
    The email goes after the transaction commits, so a rollback sends nothing."""
    notice = Notice.objects.create(member=member, text=text, url=url)
    recipients = [member.email] if member.email else []
    if not recipients and member.household_id:
        recipients = list(
            Member.objects.filter(household_id=member.household_id, user__isnull=False)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    if recipients:
        transaction.on_commit(lambda: _send_notice_email(text, url, recipients))
    return notice


def _send_notice_email(text: str, url: str, recipients: list[str]) -> None:
    body = f"{text}\n\n{settings.SITE_URL}{url}" if url else text
    try:
        send_mail(
            subject=f"[{settings.CENTER_NAME}] {text[:40]}", message=body, from_email=None, recipient_list=recipients
        )
    except OSError:
        # The notice on the site is the record; a mail server hiccup must not undo a sign-up.
        logger.exception("Could not email a notice to %s", recipients)
