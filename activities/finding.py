"""Finding who is at the door or the desk before anyone is recorded anew: “this person”
comes before “a new person”, so walk-ins and 代报名 create no second member and card."""

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.forms import NewPersonForm, PersonSearchForm
from culturecenter.lib.privacy import contact_text, may_see_personal_data
from culturecenter.models import Member, parse_person_query


def lookalikes_unless_confirmed(request, event, form, *, at_door):
    """People already known who may be the one typed in as new, unless staff said “a new person”."""
    if request.POST.get("new_person_confirmed"):
        return []
    return candidates(request, event, form.lookalikes(), at_door=at_door)


def candidates(request, event, members, *, at_door):
    """(person, contact, what they already have at this event) for each person found: at the
    door, being checked in; at the desk, a place or a waiting-list place."""
    members = list(members)
    full = may_see_personal_data(request.user)
    theirs = {r.member_id: r for r in event.registrations.active().filter(member__in=members)}
    rows = []
    for member in members:
        registration = theirs.get(member.pk)
        if registration is None or (at_door and not registration.checked_in_at):
            done = ""
        elif at_door:
            done = _("checked in at %(time)s") % {
                "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")
            }
        else:
            done = registration.get_status_display()
        rows.append((member, contact_text(member, full=full), done))
    return rows


def person_search(request, event, *, at_door):
    """The GET search that comes before “a new person”: (search form, people found, new person form
    filled in with what was typed)."""
    search_form = PersonSearchForm(request.GET if "who" in request.GET else None)
    found = None
    initial = {"village": event.venue.village or None}
    if search_form.is_valid():
        query = search_form.cleaned_data["who"]
        found = candidates(request, event, Member.objects.search_text(query), at_door=at_door)
        parsed = parse_person_query(query)
        known_mobile = any(member.mobile == parsed["mobile"] for member, _contact, _done in found)
        initial = {
            "name": parsed["name"],
            "village": parsed["village"] or initial["village"],
            "birth_year": parsed["birth_year"],
            "mobile": "" if known_mobile else parsed["mobile"],
        }
    return search_form, found, NewPersonForm(initial=initial)
