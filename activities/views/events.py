import calendar
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from activities import finding, services, tickets
from activities.forms import (
    AttachmentForm,
    CancelEventForm,
    CheckinForm,
    EventFilterForm,
    NewPersonForm,
    ReviewForm,
    SignupForm,
    WorkLogForm,
)
from activities.models import Attachment, Event, Registration, household_places
from activities.services.room_calendar import hosted_in_month
from activities.views import volunteers
from culturecenter import sections
from culturecenter.lib import pagecache, qr
from culturecenter.lib.export import table_response
from culturecenter.lib.pagecache import cache_public_page
from culturecenter.lib.params import as_id
from culturecenter.lib.privacy import contact_text, mask_mobile, may_see_personal_data
from culturecenter.lib.private_files import serve_private
from culturecenter.models import Member, parse_person_query
from culturecenter.services import member_create

# Duty staff in the order they were added as accounts, the same on every page and database.
DUTY_STAFF = Prefetch("duty_staff", queryset=get_user_model().objects.order_by("pk"))

PAGE_SIZE = 10


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _filter_events(events, data, now):
    """Apply the list filters; returns the queryset in the order villagers expect."""
    today = timezone.localdate(now)
    when = data.get("when")
    if when == "past":
        events = events.past(now).order_by("-starts_at", "-pk")
    else:
        events = events.upcoming(now).order_by("starts_at", "pk")
        last_day = {
            "today": today,
            "week": today + timedelta(days=6 - today.weekday()),
            "month": today.replace(day=calendar.monthrange(today.year, today.month)[1]),
        }.get(when)
        if last_day:
            events = events.filter(starts_at__lt=_day_start(last_day + timedelta(days=1)))
    if data.get("q"):
        events = events.search(data["q"])
    if data.get("category"):
        events = events.filter(category=data["category"])
    if data.get("audience"):
        tagged = Event.audiences.through.objects.filter(audiencetag__code=data["audience"]).values("event_id")
        events = events.filter(pk__in=tagged)
    if data.get("village"):
        events = events.filter(venue__village=data["village"])
    return events


LIST_PARAMS = [*EventFilterForm.base_fields, "page"]


@cache_public_page(params=LIST_PARAMS)
def event_list(request):
    # The filters and the results are the same for everyone: logged-in villagers get them
    # from the cache too, with their own header around them.
    query, unknown = pagecache.canonical_query(request, LIST_PARAMS)
    if unknown:  # its page links would carry the made-up parameter: not for everyone
        results = _event_results(request)
    else:
        key = f"event-list:{request.LANGUAGE_CODE}:{query}"
        results = pagecache.cached(key, lambda: _event_results(request), shared=False)
    return render(request, "activities/event_list.html", {"results": results})


def _event_results(request) -> str:
    """The filter form, the count, the page of event cards and the pages, rendered."""
    form = EventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    events = _filter_events(Event.objects.public(), data, timezone.now())
    page = Paginator(events.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    # Places are counted for this page's events only, not for every event that matched.
    page.object_list = Event.objects.for_list().filter(pk__in=list(page)).order_by(*events.query.order_by)
    return render_to_string("activities/_event_results.html", {"form": form, "page": page}, request=request)


def _event_for_page(request, pk):
    """The event as its page shows it, with its counts, venue, audiences and presenters,
    and its facts rendered. A published event is the same for every visitor: it is kept in
    the page cache (and read afresh after any change made through the site); staff preview
    every event, published or not, read afresh."""

    def events():
        return Event.objects.with_counts().select_related("venue").prefetch_related("audiences", "presenters")

    def with_facts(event):
        return event, render_to_string("activities/_event_facts.html", {"event": event}, request=request)

    def published():
        event = events().public().filter(pk=pk).first()
        return with_facts(event) if event else None

    if request.user.is_staff and request.user.has_perm("activities.change_event"):
        return with_facts(get_object_or_404(events(), pk=pk))
    found = pagecache.cached(f"event-page:{request.LANGUAGE_CODE}:{pk}", published, shared=False)
    if found is None:
        raise Http404
    return found


def event_detail(request, pk):
    event, facts = _event_for_page(request, pk)
    mine, people = [], []
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is not None:
        mine, others = household_places(member, event)
        # The tick boxes of the sign-up form (`SignupForm` checks what comes back): the
        # account holder is ticked to begin with, people outside the age range are greyed out.
        for person in others:
            allowed = event.age_allows(person)
            people.append({"member": person, "allowed": allowed, "ticked": allowed and person == member})
    context = {
        "event": event,
        "facts": facts,
        "state": event.signup_state(),
        "mine": mine,
        "people": people,
        "sections": sections.render_context("event", request, event=event),
    }
    return render(request, "activities/event_detail.html", context)


@login_required
@require_POST
def signup(request, pk):
    """Everyone the guardian ticked gets a place or a waiting-list place, each on their own,
    under the one-at-a-time rules of `registration_create`; the message says what each got."""
    event = get_object_or_404(Event.objects.public(), pk=pk)
    form = SignupForm(request.POST, people=Member.objects.managed_by(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["member"]))
        return redirect(event)
    refusals = []
    for member in form.cleaned_data["member"]:
        try:
            registration = services.registration_create(event=event, member=member, by=request.user)
        except services.ActivityError as error:
            refusal = " ".join(error.messages)
            if refusal not in refusals:  # a rule of the event (e.g. closed) is said once, not per person
                refusals.append(refusal)
                messages.error(request, refusal)
            continue
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("%(name)s is signed up: the place is confirmed.") % {"name": member.name})
        else:
            messages.warning(
                request,
                _(
                    "The event is full. %(name)s is number %(position)s on the waiting list; you will be told at "
                    "once if a place frees up."
                )
                % {"name": member.name, "position": services.waiting_position(registration)},
            )
    return redirect(event)


def _safe_next(request, fallback):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return fallback


@login_required
def registration_cancel(request, pk):
    """GET asks once (“Cancel the sign-up of X?”, no JavaScript needed); POST cancels."""
    registration = get_object_or_404(
        Registration.objects.for_household_of(request.user).select_related("member", "event", "event__venue"), pk=pk
    )
    back = _safe_next(request, registration.event.get_absolute_url())
    if request.method != "POST":
        context = {
            "registration": registration,
            "event": registration.event,
            "back": back,
            "can_cancel": registration.status != Registration.Status.CANCELLED
            and registration.event.starts_at > timezone.now(),
        }
        return render(request, "activities/cancel_confirm.html", context)
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The sign-up of %(name)s is cancelled.") % {"name": registration.member.name})
    return redirect(back)


def event_ics(request, pk):
    event = get_object_or_404(Event.objects.public().select_related("venue"), pk=pk)
    cal = Calendar()
    cal.add("prodid", "-//Qingshui Cultural Center//activities//ZH")
    cal.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@qingshui-culture-center")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("location", str(event.venue))
    entry.add("description", event.description)
    entry.add("url", request.build_absolute_uri(event.get_absolute_url()))
    if event.status == Event.Status.CANCELLED:
        entry.add("status", "CANCELLED")
    cal.add_component(entry)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
def ticket(request, code):
    normalised = tickets.normalise(code)
    registrations = Registration.objects.select_related("member", "event", "event__venue")
    if not request.user.has_perm("activities.checkin_event"):
        registrations = registrations.for_household_of(request.user)
    registration = get_object_or_404(registrations, code=normalised or "-")
    context = {
        "registration": registration,
        "event": registration.event,
        "display_code": tickets.display(registration.code),
        "qr_svg": qr.svg_inline(registration.code),
        "position": services.waiting_position(registration)
        if registration.status == Registration.Status.WAITING
        else None,
    }
    return render(request, "activities/ticket.html", context)


# ---------------------------------------------------------------- staff pages


def _staff_event(pk):
    return get_object_or_404(Event.objects.with_counts().select_related("venue"), pk=pk)


@login_required
@permission_required("activities.checkin_event", raise_exception=True)
def checkin(request, pk):
    event = _staff_event(pk)
    if request.method == "POST":
        try:
            if "undo" in request.POST:
                registration = services.registration_check_in_undo(
                    registration=get_object_or_404(event.registrations, pk=as_id(request.POST["undo"])), by=request.user
                )
                messages.info(request, _("The check-in of %(name)s is undone.") % {"name": registration.member.name})
                return redirect("activities:checkin", pk=event.pk)
            if "registration" in request.POST:
                registration = services.registration_check_in_by_id(
                    event=event, registration_id=as_id(request.POST["registration"]), by=request.user
                )
            elif "walk_in_member" in request.POST:
                member = get_object_or_404(Member.objects.present(), pk=as_id(request.POST["walk_in_member"]))
                registration = services.walk_in_add(event=event, member=member, by=request.user)
            elif request.POST.get("form") == "walk_in":
                walk_in = NewPersonForm(request.POST)
                if not walk_in.is_valid():
                    return _checkin_page(request, event, walk_in_form=walk_in)
                candidates = finding.lookalikes_unless_confirmed(request, event, walk_in, at_door=True)
                if candidates:
                    return _checkin_page(request, event, walk_in_form=walk_in, candidates=candidates)
                data = walk_in.cleaned_data
                registration = services.walk_in_add(
                    event=event,
                    name=data["name"],
                    village=data["village"],
                    birth_year=data["birth_year"],
                    mobile=data["mobile"] or None,
                    by=request.user,
                )
            else:
                registration = services.registration_check_in(
                    event=event, code=request.POST.get("code", ""), by=request.user
                )
        except services.AlreadyCheckedIn as notice:
            messages.warning(request, " ".join(notice.messages))
        except (services.ActivityError, Registration.DoesNotExist) as error:
            text = " ".join(error.messages) if isinstance(error, services.ActivityError) else _("No such sign-up.")
            messages.error(request, text)
        else:
            messages.success(request, _("✔ %(name)s is checked in.") % {"name": registration.member.name})
        return redirect("activities:checkin", pk=event.pk)
    return _checkin_page(request, event)


def _checkin_page(request, event, walk_in_form=None, candidates=None):
    registrations = event.registrations.filter(status=Registration.Status.CONFIRMED).select_related("member")
    rows = [(r, mask_mobile(r.member.mobile)) for r in registrations.order_by("checked_in_at", "member__name")]
    search_form, found, new_person_form = finding.person_search(request, event, at_door=True)
    context = {
        "event": event,
        "rows": rows,
        "form": CheckinForm(),
        "search_form": search_form,
        "found": found,
        "candidates": candidates,
        "walk_in_form": walk_in_form or new_person_form,
        "door_open": event.checkin_is_open(),
        "can_undo": event.closed_at is None,
        "volunteer_signups": volunteers.event_volunteers(event)
        if request.user.has_perm("activities.coordinate_volunteers")
        else [],
    }
    return render(request, "activities/checkin.html", context)


REGISTRANT_HEADERS = [
    "姓名 Name",
    "村庄 Village",
    "年龄段 Age group",
    "手机 Mobile",
    "联系人 Contact",
    "状态 Status",
    "报名时间 Signed up",
    "签到 Checked in",
    "未到 No-show",
    "现场 Walk-in",
]


def _export_row(r, full):
    contact = r.member.contact
    return [
        r.member.name,
        r.member.get_village_display(),
        r.member.get_age_group_display(),
        r.member.mobile or "",
        contact_text(r.member, full=full) if contact and contact.pk != r.member.pk else "",
        r.get_status_display(),
        timezone.localtime(r.queued_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(r.checked_in_at).strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "",
        "是" if r.no_show else "",
        "是" if r.is_walk_in else "",
    ]


@login_required
@permission_required("activities.view_registration", raise_exception=True)
def registrants(request, pk, fmt=None):
    if fmt not in (None, "csv", "xlsx"):
        raise Http404
    event = _staff_event(pk)
    rows = (
        event.registrations.select_related("member__household", "cancelled_by__member")
        .prefetch_related("member__household__members")
        .order_by("status", "queued_at", "pk")
    )
    full = may_see_personal_data(request.user)
    if fmt:
        data = (_export_row(r, full) for r in rows.iterator(chunk_size=1000))
        return table_response(headers=REGISTRANT_HEADERS, rows=data, filename=f"registrants-{event.pk}", fmt=fmt)
    new_person_form, candidates = None, None
    if request.method == "POST":
        if not request.user.has_perm("activities.sign_up_on_behalf"):
            raise PermissionDenied
        if "who" in request.POST:
            return _on_behalf_scan(request, event)
        member = None
        if "member" in request.POST:
            member = get_object_or_404(Member.objects.present(), pk=as_id(request.POST["member"]))
        else:
            new_person_form = NewPersonForm(request.POST)
            if new_person_form.is_valid():
                candidates = finding.lookalikes_unless_confirmed(request, event, new_person_form, at_door=False)
                if not candidates:
                    data = new_person_form.cleaned_data
                    member = Member.objects.filter(mobile=data["mobile"]).first() if data["mobile"] else None
                    member = member or member_create(
                        name=data["name"],
                        village=data["village"],
                        birth_year=data["birth_year"],
                        mobile=data["mobile"],
                        by=request.user,
                    )
        if member is not None:
            _sign_up_on_behalf(request, event, member)
            return redirect("activities:registrants", pk=event.pk)
    search_form, found, blank_new_person_form = finding.person_search(request, event, at_door=False)
    context = {
        "event": event,
        "rows": _with_contacts(rows, full=full),
        "search_form": search_form,
        "found": found,
        "candidates": candidates,
        "new_person_form": new_person_form or blank_new_person_form,
    }
    return render(request, "activities/registrants.html", context)


def _with_contacts(registrations, *, full):
    """The registrations, each with `contact`: whom to phone about that person, as shown."""
    registrations = list(registrations)
    for registration in registrations:
        registration.contact = contact_text(registration.member, full=full)
    return registrations


def _on_behalf_scan(request, event):
    """A reader card scanned (or typed) at the desk signs that villager up at once;
    anything else is searched, and the matches offered."""
    who = request.POST["who"].strip()
    card = parse_person_query(who)["reader_card"]
    member = Member.objects.present().filter(reader_card=card).first() if card else None
    if member is not None:
        _sign_up_on_behalf(request, event, member)
        return redirect("activities:registrants", pk=event.pk)
    return redirect(f"{reverse('activities:registrants', args=[event.pk])}?{urlencode({'who': who})}#find")


def _sign_up_on_behalf(request, event, member):
    try:
        registration = services.registration_create(event=event, member=member, by=request.user, on_behalf=True)
    except services.ActivityError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is signed up (%(status)s). Ticket code: %(code)s")
            % {
                "name": registration.member.name,
                "status": registration.get_status_display(),
                "code": tickets.display(registration.code),
            },
        )


@login_required
@permission_required("activities.sign_up_on_behalf", raise_exception=True)
def registrant_cancel(request, pk, registration_id):
    """Staff cancel someone's place (they rang, or asked at the desk): confirm first, then POST."""
    event = _staff_event(pk)
    registration = get_object_or_404(event.registrations.select_related("member").active(), pk=registration_id)
    if request.method == "POST":
        try:
            promoted = services.registration_cancel(registration=registration, by=request.user, on_behalf=True)
        except services.ActivityError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The sign-up of %(name)s is cancelled.") % {"name": registration.member.name})
            if promoted:
                messages.info(
                    request,
                    _("%(name)s moved up from the waiting list and has been told.") % {"name": promoted.member.name},
                )
        return redirect("activities:registrants", pk=event.pk)
    return render(request, "activities/registrant_cancel.html", {"event": event, "registration": registration})


@login_required
@permission_required("activities.checkin_event", raise_exception=True)
def today(request):
    """The door on a phone: today's events (the center's day), each with its check-in and registrants."""
    day = timezone.localdate()
    events = (
        Event.objects.filter(starts_at__lt=_day_start(day + timedelta(days=1)), ends_at__gt=_day_start(day))
        .exclude(status__in=[Event.Status.DRAFT, Event.Status.RETURNED])
        .with_counts()
        .select_related("venue")
        .prefetch_related(DUTY_STAFF)
        .order_by("starts_at", "pk")
    )
    return render(request, "activities/today.html", {"events": events, "day": day, "now": timezone.now()})


@login_required
@permission_required("activities.add_worklog", raise_exception=True)
def work_log(request, pk):
    event = _staff_event(pk)
    log = getattr(event, "work_log", None)
    log_form = WorkLogForm(
        request.POST if request.POST.get("form") == "log" else None,
        initial={"summary": log.summary, "incidents": log.incidents} if log else None,
    )
    attachment_form = AttachmentForm(
        request.POST if request.POST.get("form") == "attachment" else None,
        request.FILES if request.POST.get("form") == "attachment" else None,
    )
    if request.method == "POST":
        if log_form.is_bound and log_form.is_valid():
            try:
                services.work_log_save(event=event, by=request.user, **log_form.cleaned_data)
            except services.ActivityError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The work log is saved; people who did not come are marked as no-shows."))
            return redirect("activities:work_log", pk=event.pk)
        if attachment_form.is_bound and attachment_form.is_valid():
            attachment = attachment_form.save(commit=False)
            attachment.event, attachment.uploaded_by = event, request.user
            attachment.save()
            messages.success(request, _("“%(file)s” is archived with the event.") % {"file": attachment})
            return redirect("activities:work_log", pk=event.pk)
    context = {
        "event": event,
        "log": log,
        "log_form": log_form,
        "attachment_form": attachment_form,
        "attachments": event.attachments.all(),
        "not_checked_in": event.confirmed_count - event.checked_in_count,
    }
    return render(request, "activities/work_log.html", context)


@login_required
@permission_required("activities.view_worklog", raise_exception=True)
def attachment_file(request, pk):
    """An archived plan, minutes or photo, for those who may read the archive."""
    attachment = get_object_or_404(Attachment, pk=pk)
    suffix = attachment.file.name.rsplit(".", 1)[-1] if "." in attachment.file.name else ""
    name = f"{attachment.event.title}-{attachment.get_kind_display()}.{suffix}".strip(".")
    return serve_private(attachment.file, download_name=None if attachment.kind == Attachment.Kind.PHOTO else name)


@login_required
@permission_required("activities.view_worklog", raise_exception=True)
def archive(request):
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    category = request.GET.get("category", "")
    events = (
        Event.objects.filter(starts_at__gte=_day_start(first), starts_at__lt=_day_start(after))
        .exclude(status__in=[Event.Status.DRAFT, Event.Status.RETURNED])
        .with_counts()
        .select_related("venue", "work_log")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("kind", "pk")))
        .order_by("starts_at")
    )
    if category:
        events = events.filter(category=category)
    context = {
        "events": events,
        "now": timezone.now(),
        "month": first,
        "previous": (first - timedelta(days=1)).replace(day=1),
        "next": after,
        "category": category,
        "categories": Event._meta.get_field("category").choices,
        "hosted": [] if category else hosted_in_month(first, after),
    }
    return render(request, "activities/archive.html", context)


@login_required
@permission_required("activities.change_event", raise_exception=True)
def review(request, pk):
    event = get_object_or_404(
        Event.objects.with_counts().select_related("venue", "created_by").prefetch_related("presenters", DUTY_STAFF),
        pk=pk,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        form = CancelEventForm(request.POST) if action == "cancel" else ReviewForm(request.POST)
        if form.is_valid():
            try:
                if action == "submit":
                    services.event_submit(event=event, by=request.user, opinion=form.cleaned_data["opinion"])
                    messages.success(request, _("Submitted for review."))
                elif action == "approve":
                    services.event_approve(event=event, by=request.user, opinion=form.cleaned_data["opinion"])
                    messages.success(request, _("Approved: the event is published."))
                elif action == "return":
                    services.event_return(event=event, by=request.user, opinion=form.cleaned_data["opinion"])
                    messages.success(request, _("Returned to the author."))
                elif action == "cancel":
                    told = services.event_cancel(event=event, by=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Cancelled; %(count)s people were told.") % {"count": told})
                else:
                    raise Http404
            except services.ActivityError as error:
                for message in error.messages:
                    messages.error(request, message)
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect("activities:review", pk=event.pk)
    context = {
        "event": event,
        "steps": event.review_steps.select_related("actor"),
        "problems": services.approval_problems(event, request.user)
        if event.status == Event.Status.SUBMITTED
        else services.readiness_problems(event),
        "can_approve": request.user.has_perm("activities.approve_event"),
        # What it holds once submitted; before that, what would be in its way.
        "claims": event.occupancies.select_related("venue"),
        "room_problems": services.event_room_clashes(event=event) if event.status not in services.HOLDS_ROOM else [],
        "review_form": ReviewForm(),
        "cancel_form": CancelEventForm(),
    }
    return render(request, "activities/review.html", context)
