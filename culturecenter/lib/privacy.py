"""Masking personal data where it is shown to people who do not need all of it."""


def mask_mobile(mobile: str | None) -> str:
    """13800001234 → 138****1234."""
    if not mobile or len(mobile) != 11:
        return ""
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_name(name: str) -> str:
    """张小明 → 张*明, 王芳 → 王*: enough for a neighbour to recognise, not to identify."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def contact_text(member, *, full: bool) -> str:
    """The phone to call about `member` as a list shows it: their own mobile, or for a
    child or an elderly parent without one “王建华 (guardian) 138****0001”; the full
    number only for those who may see personal data. Empty when nobody can be called."""
    from django.utils.translation import gettext as _

    contact = member.contact
    if contact is None:
        return ""
    phone = contact.mobile if full else mask_mobile(contact.mobile)
    if contact.pk == member.pk:
        return phone
    return _("%(name)s (guardian) %(phone)s") % {"name": contact.name, "phone": phone}


def may_see_personal_data(user) -> bool:
    """Staff who may look up members (the 工作人员, 审核人 and 图书管理员 roles) see full numbers."""
    return user.has_perm("culturecenter.view_member")
