"""Pages of the room calendar: the staff grid, booking (one date or repeating), requests and
their decisions, the day's arrivals, hosted meeting records, and each room's public week."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.models import Booking, BookingSeries, BookingStep, HostedFile, Occupancy, Venue
from activities.room_forms import (
    BookingForm,
    HostedFileForm,
    HostedRecordForm,
    MoveForm,
    ReasonForm,
    RoomRequestForm,
)
from activities.services.room_calendar import room_grid, week_start
from culturecenter.lib.private_files import serve_private

BOOKINGS = "activities.view_booking"
MANAGE = "activities.change_booking"


def _day(request, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return default


def _errors(request, error) -> None:
    for message in error.messages:
        messages.error(request, message)


def _staff_booking(pk) -> Booking:
    return get_object_or_404(Booking.objects.select_related("venue", "series", "contact__member"), pk=pk)


# ---------------------------------------------------------------- the grid


@login_required
@permission_required(BOOKINGS, raise_exception=True)
def calendar(request):
    """Every room of the center for a day or a week: rooms × hours, opening hours shaded."""
    today = timezone.localdate()
    day = _day(request, today)
    view = "day" if request.GET.get("view") == "day" else "week"
    first = day if view == "day" else week_start(day)
    step = timedelta(days=1 if view == "day" else 7)
    grid = room_grid(first=first, days=1 if view == "day" else 7)
    context = {
        "grid": grid,
        "view": view,
        "day": day,
        "today": today,
        "previous": first - step,
        "next": first + step,
        "pending": Booking.objects.pending().count(),
        "kinds": Occupancy.Kind.choices,
    }
    return render(request, "activities/rooms/calendar.html", context)


# ---------------------------------------------------------------- booking


def _series_plan(form: BookingForm):
    data = form.cleaned_data
    return services.series_preview(
        venue=data["venue"],
        weekday=data["day"].weekday(),
        starts_time=data["starts"],
        ends_time=data["ends"],
        first_date=data["day"],
        last_date=data["repeat_until"],
        setup_minutes=data["setup_minutes"],
        cleanup_minutes=data["cleanup_minutes"],
        attendance=data["attendance"],
        hours_override_reason=data["hours_override_reason"],
    )


def _choice_value(choice) -> str:
    return f"{choice.venue.pk}|{choice.starts_at.isoformat()}|{choice.ends_at.isoformat()}"


def _priority_moves(request, clash, form):
    """When a government meeting meets only practices: each with the places it could go."""
    if form.cleaned_data["purpose"] != Booking.Purpose.HOSTED_MEETING:
        return []
    needed = (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
    return [
        {
            "booking": booking,
            "choices": [(_choice_value(c), c) for c in services.move_choices(booking, avoid=needed)],
        }
        for booking in services.displaceable(clash.clashes)
    ]


def _chosen_moves(request, moves) -> dict | None:
    chosen = {}
    venues = {v.pk: v for v in Venue.objects.bookable()}
    for move in moves:
        value = request.POST.get(f"move_{move['booking'].pk}", "")
        if value not in {v for v, _c in move["choices"]}:
            return None
        venue_id, start, end = value.split("|")
        chosen[move["booking"]] = services.Alternative(
            venues[int(venue_id)], datetime.fromisoformat(start), datetime.fromisoformat(end)
        )
    return chosen


@login_required
@permission_required("activities.add_booking", raise_exception=True)
def book(request):
    """Staff book a room: one date, or every week until a date with a preview of each date."""
    initial = {}
    if request.method == "GET":
        if "venue" in request.GET:
            initial["venue"] = request.GET.get("venue")
        initial["day"] = _day(request, timezone.localdate())
    form = BookingForm(request.POST or None, initial=initial)
    context = {"form": form, "plan": None, "moves": []}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = request.POST.get("action", "book")
        try:
            if data["repeat_until"]:
                plan = _series_plan(form)
                if action in ("book_free", "book_all"):
                    fields = form.booking_fields()
                    title, organiser = fields.pop("title"), fields.pop("organiser")
                    for name in ("attendance", "setup_minutes", "cleanup_minutes", "hours_override_reason"):
                        fields.pop(name)
                    series = services.series_create(
                        plan=plan, only_free=action == "book_free", title=title, organiser=organiser,
                        by=request.user, **fields,
                    )  # fmt: skip
                    skipped = len(services.series_skipped_dates(series))
                    messages.success(
                        request,
                        _("Booked %(booked)s dates; %(skipped)s skipped (they can be added back later).")
                        % {"booked": series.bookings.count(), "skipped": skipped},
                    )
                    return redirect("activities:room_series", pk=series.pk)
                context["plan"] = plan
            else:
                if action == "move":
                    clashes = services.occupancy_clashes(
                        venue=data["venue"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                        setup_minutes=data["setup_minutes"], cleanup_minutes=data["cleanup_minutes"],
                    )  # fmt: skip
                    moves = _priority_moves(request, services.RoomClash(clashes, data["venue"]), form)
                    chosen = _chosen_moves(request, moves) if moves else None
                    if not chosen:
                        messages.error(request, _("Choose where each practice goes."))
                        context["moves"] = moves
                        return render(request, "activities/rooms/book.html", context)
                    booking = services.booking_create_with_priority(
                        moves=chosen, reason=request.POST.get("move_reason", ""), by=request.user,
                        venue=data["venue"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                        **form.booking_fields(),
                    )  # fmt: skip
                    messages.success(request, _("The practice was moved and its booker told."))
                else:
                    booking = services.booking_create(
                        venue=data["venue"], starts_at=data["starts_at"], ends_at=data["ends_at"], by=request.user,
                        **form.booking_fields(),
                    )  # fmt: skip
                messages.success(request, _("Booked: %(booking)s.") % {"booking": booking})
                return redirect("activities:room_booking", pk=booking.pk)
        except services.RoomClash as clash:
            _errors(request, clash)
            context["moves"] = _priority_moves(request, clash, form)
        except services.ActivityError as error:
            _errors(request, error)
    return render(request, "activities/rooms/book.html", context)


@login_required
@permission_required(BOOKINGS, raise_exception=True)
def booking_detail(request, pk):
    """One booking with its steps; staff cancel, move, note arrival, approve or decline here."""
    booking = _staff_booking(pk)
    context = {
        "booking": booking,
        "steps": booking.steps.select_related("actor"),
        "claims": booking.occupancies.select_related("venue"),
        "conflicts": services.request_conflicts(booking) if booking.status == Booking.Status.REQUESTED else [],
        "reason_form": ReasonForm(),
        "move_form": MoveForm(
            initial={
                "venue": booking.venue_id,
                "day": timezone.localdate(booking.starts_at),
                "starts": timezone.localtime(booking.starts_at).time(),
                "ends": timezone.localtime(booking.ends_at).time(),
            }
        ),
        "record": getattr(booking, "record", None),
        "today": timezone.localdate(),
        "now": timezone.now(),
    }
    return render(request, "activities/rooms/booking.html", context)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def booking_act(request, pk):
    """cancel · check_in · approve · decline · move; always back to the booking."""
    booking = _staff_booking(pk)
    action = request.POST.get("action")
    reason = ReasonForm(request.POST)
    reason_text = reason.cleaned_data["reason"] if reason.is_valid() else ""
    try:
        if action == "cancel":
            services.booking_cancel(booking=booking, by=request.user, reason=reason_text)
            messages.success(request, _("Cancelled; the room is free again."))
        elif action == "check_in":
            services.booking_check_in(booking=booking, by=request.user)
            messages.success(request, _("Noted: they have arrived."))
            if request.POST.get("next") == "today":
                return redirect("activities:rooms_today")
        elif action == "approve":
            declined = services.request_approve(booking=booking, by=request.user, reason=reason_text)
            messages.success(
                request,
                _("Approved; the requester is told. %(count)s clashing requests declined.") % {"count": len(declined)},
            )
        elif action == "decline":
            services.request_decline(booking=booking, by=request.user, reason=reason_text)
            messages.success(request, _("Declined; the requester is told."))
        elif action == "move":
            form = MoveForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    messages.error(request, " ".join(errors))
                return redirect("activities:room_booking", pk=booking.pk)
            data = form.cleaned_data
            services.booking_move(booking=booking, starts_at=data["starts_at"], ends_at=data["ends_at"],
                                  venue=data["venue"], by=request.user, reason=data["reason"])  # fmt: skip
            messages.success(request, _("Moved; the booker is told."))
        else:
            raise Http404
    except services.ActivityError as error:
        _errors(request, error)
    return redirect("activities:room_booking", pk=booking.pk)


@login_required
@permission_required(BOOKINGS, raise_exception=True)
def series_detail(request, pk):
    """A repeating booking's dates: booked, skipped (add back), cancelled."""
    series = get_object_or_404(BookingSeries.objects.select_related("venue"), pk=pk)
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise Http404
        try:
            if request.POST.get("action") == "cancel":
                reason = ReasonForm(request.POST)
                text = reason.cleaned_data["reason"] if reason.is_valid() else ""
                count = services.series_cancel(series=series, by=request.user, reason=text)
                messages.success(request, _("%(count)s dates cancelled.") % {"count": count})
            else:
                day = date.fromisoformat(request.POST.get("day", ""))
                services.series_add_date(series=series, day=day, by=request.user)
                messages.success(request, _("%(date)s added back.") % {"date": f"{day:%Y-%m-%d}"})
        except ValueError:
            messages.error(request, _("Choose a date."))
        except services.ActivityError as error:
            _errors(request, error)
        return redirect("activities:room_series", pk=series.pk)
    bookings = {timezone.localdate(b.starts_at): b for b in series.bookings.exclude(status=Booking.Status.DECLINED)}
    skipped = set(services.series_skipped_dates(series))
    today = timezone.localdate()
    slots = [
        (timezone.make_aware(datetime.combine(day, series.starts_time)),
         timezone.make_aware(datetime.combine(day, series.ends_time)))
        for day in sorted(skipped) if day >= today
    ]  # fmt: skip
    now_free = {check.day: check for check in services.slots_check(venue=series.venue, slots=slots)}
    dates = [(day, bookings.get(day), day in skipped, now_free.get(day)) for day in series.dates()]
    context = {"series": series, "dates": dates, "reason_form": ReasonForm(), "today": today}
    return render(request, "activities/rooms/series.html", context)


@login_required
@permission_required(BOOKINGS, raise_exception=True)
def requests(request):
    """Members' pending requests, each with the other requests approving it would decline."""
    pending = list(Booking.objects.pending().select_related("venue", "contact__member").order_by("starts_at", "pk"))
    rows = [(booking, services.request_conflicts(booking)) for booking in pending]
    return render(request, "activities/rooms/requests.html", {"rows": rows, "reason_form": ReasonForm()})


@login_required
@permission_required(BOOKINGS, raise_exception=True)
def today(request):
    """The day's bookings to tap 已到; those not marked within the grace time are released."""
    day = timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    bookings = (
        Booking.objects.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .exclude(status__in=[Booking.Status.REQUESTED, Booking.Status.DECLINED])
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    rows = [(b, services.needs_check_in(b)) for b in bookings]
    return render(request, "activities/rooms/today.html", {"rows": rows, "day": day, "now": timezone.now()})


# ---------------------------------------------------------------- hosted meetings


@login_required
@permission_required("activities.add_hostedrecord", raise_exception=True)
def record(request, pk):
    """配合政府工作: attendance, organisations, minutes, services and files of a hosted meeting."""
    booking = get_object_or_404(Booking.objects.hosted().select_related("venue"), pk=pk)
    existing = getattr(booking, "record", None)
    initial = (
        {"attendance": existing.attendance, "organisations": existing.organisations, "summary": existing.summary,
         "services": existing.services}
        if existing else {"attendance": booking.attendance}
    )  # fmt: skip
    posted = request.method == "POST"
    record_form = HostedRecordForm(request.POST if posted and request.POST.get("form") == "record" else None,
                                   initial=initial)  # fmt: skip
    file_form = HostedFileForm(*(request.POST, request.FILES) if posted and request.POST.get("form") == "file" else ())
    if posted:
        if record_form.is_bound and record_form.is_valid():
            try:
                services.hosted_record_save(booking=booking, by=request.user, **record_form.cleaned_data)
                messages.success(request, _("The record is saved; it appears in the monthly archive."))
                return redirect("activities:room_record", pk=booking.pk)
            except services.ActivityError as error:
                _errors(request, error)
        elif file_form.is_bound and file_form.is_valid():
            if existing is None:
                messages.error(request, _("Save the record first, then attach its files."))
            else:
                data = file_form.cleaned_data
                services.hosted_file_add(record=existing, kind=data["kind"], file=data["file"], title=data["title"],
                                         by=request.user)  # fmt: skip
                messages.success(request, _("The file is attached."))
                return redirect("activities:room_record", pk=booking.pk)
    context = {
        "booking": booking,
        "existing": existing,
        "files": existing.files.all() if existing else [],
        "record_form": record_form,
        "file_form": file_form,
    }
    return render(request, "activities/rooms/record.html", context)


@login_required
@permission_required("activities.view_hostedrecord", raise_exception=True)
def hosted_file(request, pk):
    """A hosted meeting's minutes, paper or photo, for those who may read the archive."""
    stored = get_object_or_404(HostedFile.objects.select_related("record__booking"), pk=pk)
    suffix = stored.file.name.rsplit(".", 1)[-1] if "." in stored.file.name else ""
    name = f"{stored.record.booking.title}-{stored.get_kind_display()}.{suffix}".strip(".")
    return serve_private(stored.file, download_name=None if stored.kind == HostedFile.Kind.PHOTO else name)


# ---------------------------------------------------------------- members and villagers


@login_required
def room_request(request):
    """A team leader or a village committee asks for a room; staff approve or decline."""
    if not hasattr(request.user, "member"):
        raise Http404
    form = RoomRequestForm(request.POST or None, initial={"day": timezone.localdate() + timedelta(days=1)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_create(
                venue=data["venue"], starts_at=data["starts_at"], ends_at=data["ends_at"], title=data["title"],
                organiser=data["organiser"], organiser_kind=data["organiser_kind"], purpose=data["purpose"],
                attendance=data["attendance"], equipment=data["equipment"], note=data["note"], by=request.user,
            )  # fmt: skip
        except services.ActivityError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Your request is sent; you will get a notice when staff decide."))
            return redirect("activities:rooms_mine")
    paused = services.requests_paused_until(request.user)
    return render(request, "activities/rooms/request.html", {"form": form, "paused": paused})


@login_required
def mine(request):
    """My room requests and bookings, with what staff decided and why."""
    if not hasattr(request.user, "member"):
        raise Http404
    bookings = (
        Booking.objects.filter(contact=request.user)
        .select_related("venue")
        .prefetch_related(Prefetch("steps", queryset=BookingStep.objects.order_by("at", "pk")))
        .order_by("-starts_at", "-pk")[:50]
    )
    return render(request, "activities/rooms/mine.html", {"bookings": bookings, "now": timezone.now()})


@login_required
@require_POST
def mine_cancel(request, pk):
    """The requester withdraws a request or gives back a booking still to come; staff see the step."""
    booking = get_object_or_404(Booking, pk=pk, contact=request.user, starts_at__gt=timezone.now())
    try:
        services.booking_cancel(booking=booking, by=request.user, reason=_("withdrawn by the requester"))
    except services.ActivityError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Cancelled: %(booking)s.") % {"booking": booking.title})
    return redirect("activities:rooms_mine")


def room_detail(request, pk):
    """A room's public page: its size and equipment, and what is on there this week
    (internal uses show as 已占用, without a title)."""
    venue = get_object_or_404(Venue.objects.bookable(), pk=pk)
    day = _day(request, timezone.localdate())
    grid = room_grid(first=week_start(day), days=7, venues=[venue])
    context = {
        "venue": venue,
        "grid": grid,
        "row": grid.rows[0],
        "previous": grid.first - timedelta(days=7),
        "next": grid.first + timedelta(days=7),
        "today": timezone.localdate(),
    }
    return render(request, "activities/rooms/room.html", context)
