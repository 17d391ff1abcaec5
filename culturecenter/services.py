"""Workflows on members and households that touch several rows."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from culturecenter.lib import codes, personal_data
from culturecenter.lib.locks import locking
from culturecenter.lib.text import email_subject
from culturecenter.models import Household, Member, Notice, PasswordResetCode, User

logger = logging.getLogger(__name__)


@transaction.atomic
def member_create(
    *,
    name: str,
    village: str,
    birth_year: int,
    mobile: str | None = None,
    household: Household | None = None,
    reader_card: str | None = None,
    user: User | None = None,
    email: str = "",
    consented_at=None,
    by,
) -> Member:
    """The one way a person comes to be recorded, with or without a login: the member and
    their reader card (the card scanned at the desk, else one numbered from the record).
    Desks and doors look for lookalikes first (`Member.objects.lookalikes`)."""
    member = Member.objects.create(
        name=name,
        village=village,
        birth_year=birth_year,
        mobile=mobile or None,
        household=household,
        reader_card=reader_card or None,
        user=user,
        email=email,
        consented_at=consented_at,
        created_by=by,
    )
    member.assign_reader_card()
    return member


@transaction.atomic
def member_register(*, name: str, mobile: str, password: str, village: str, birth_year: int, email: str = "") -> Member:
    """A villager signs themself up: a login, a household they manage, a reader card."""
    user = User.objects.create_user(username=f"v-{uuid.uuid4().hex[:20]}", password=password, email=email)
    return member_create(
        name=name,
        mobile=mobile,
        village=village,
        birth_year=birth_year,
        household=Household.objects.create(name=name),
        user=user,
        email=email,
        consented_at=timezone.now(),
        by=user,
    )


@transaction.atomic
def household_member_add(
    *, guardian: Member, name: str, village: str, birth_year: int, mobile: str | None = None, by
) -> Member:
    """Add a person without a login (a child, an elderly parent) to the guardian's household."""
    if guardian.household_id is None:
        guardian.household = Household.objects.create(name=guardian.name)
        guardian.save(update_fields=["household"])
    return member_create(
        name=name, village=village, birth_year=birth_year, mobile=mobile, household=guardian.household, by=by
    )


def member_export(*, user: User) -> dict:
    """Everything the portal keeps about this villager and the household they manage,
    section by section as each app registered it (see `culturecenter.lib.personal_data`)."""
    people = sorted(
        Member.objects.managed_by(user).select_related("user"), key=lambda m: (m.user_id != user.pk, m.name, m.pk)
    )
    return {
        "exported_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "sections": personal_data.collect(people),
    }


@locking
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
        send_mail(subject=email_subject(text), message=body, from_email=None, recipient_list=recipients)
    except OSError:
        # The notice on the site is the record; a mail server hiccup must not undo a sign-up.
        logger.exception("Could not email a notice to %s", recipients)


RESET_CODE_PURPOSE = "culturecenter.password-reset"
RESET_CODE_VALID = timedelta(hours=24)


class ResetRefused(Exception):
    """The login may not be reset this way (a staff login, or no login at all)."""


@transaction.atomic
def password_reset_code_issue(*, member: Member, by: User) -> tuple[str, PasswordResetCode]:
    """Staff, having checked who the villager is, issue a one-time code to set a new
    password within 24 hours. Earlier unused codes stop working. Staff logins are
    reset by an administrator in the user admin, never with a code from the desk."""
    user = member.user
    if user is None or user.is_staff or user.is_superuser:
        raise ResetRefused
    now = timezone.now()
    PasswordResetCode.objects.filter(user=user).usable(now).update(expires_at=now)
    code = codes.new_code()
    record = PasswordResetCode.objects.create(
        user=user,
        code_hash=codes.code_hash(code, RESET_CODE_PURPOSE),
        issued_by=by,
        issued_at=now,
        expires_at=now + RESET_CODE_VALID,
    )
    logger.info("Password reset code for user %s issued by %s", user.pk, by.pk)
    return codes.readable(code), record


def password_reset_code_find(*, mobile: str, code: str) -> PasswordResetCode | None:
    """The usable code typed with this mobile number, or None."""
    return (
        PasswordResetCode.objects.usable()
        .filter(user__member__mobile=mobile, code_hash=codes.code_hash(code, RESET_CODE_PURPOSE))
        .select_related("user")
        .first()
    )


@locking
def password_reset_complete(*, reset: PasswordResetCode, password: str) -> User | None:
    """Set the new password and use the code up; None if it was used a moment ago."""
    reset = PasswordResetCode.objects.select_for_update().usable().filter(pk=reset.pk).select_related("user").first()
    if reset is None:
        return None
    reset.used_at = timezone.now()
    reset.save(update_fields=["used_at"])
    reset.user.set_password(password)
    reset.user.save(update_fields=["password"])
    return reset.user
