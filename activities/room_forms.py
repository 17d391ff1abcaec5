"""Forms of the room calendar: staff bookings (one date or repeating), members' requests,
decisions, moves and the record of a hosted meeting."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.forms import check_archive_upload
from activities.models import Booking, HostedFile, HostedService, Organiser, Venue
from culturecenter.forms import MobileField, form_helper
from culturecenter.lib.text import no_control_characters
from culturecenter.models import Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")

# What members may ask for; hosted meetings and closures are the center's own.
REQUESTABLE = [
    (value, label)
    for value, label in Booking.Purpose.choices
    if value not in (*Booking.HOSTED, Booking.Purpose.CLOSURE)
]


def _aware(day, at: time):
    return timezone.make_aware(datetime.combine(day, at))


class WhenMixin:
    """A date, a start and an end time; an end not after the start would cross midnight."""

    def clean_times(self, cleaned):
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("A booking cannot run past midnight; book two, one on each day."))
            else:
                cleaned["starts_at"], cleaned["ends_at"] = _aware(day, starts), _aware(day, ends)
        return cleaned


class BookingForm(WhenMixin, forms.Form):
    venue = forms.ModelChoiceField(
        label=_("room or equipment"),
        queryset=Venue.objects.bookable().order_by("kind", "name"),
        help_text=_("Equipment alone, e.g. folding tables lent to a village."),
    )
    title = forms.CharField(label=_("title"), max_length=120, validators=[no_control_characters])
    purpose = forms.ChoiceField(label=_("purpose"), choices=Booking.Purpose.choices)
    organiser = forms.CharField(
        label=_("organiser"),
        max_length=100,
        validators=[no_control_characters],
        help_text=_("e.g. 清水镇人大, 广场舞队, 上清水村委会, or a person's name"),
    )
    organiser_kind = forms.ChoiceField(label=_("kind of organiser"), choices=Organiser.choices)
    contact_mobile = MobileField(
        label=_("contact's mobile number"),
        required=False,
        help_text=_("A member with a login is told of moves and releases."),
    )
    attendance = forms.IntegerField(label=_("expected attendance"), min_value=1, initial=20)
    day = forms.DateField(label=_("date"), widget=DATE)
    starts = forms.TimeField(label=_("start time"), widget=TIME)
    ends = forms.TimeField(label=_("end time"), widget=TIME)
    setup_minutes = forms.IntegerField(label=_("set-up (minutes before)"), min_value=0, max_value=480, initial=0)
    cleanup_minutes = forms.IntegerField(label=_("clean-up (minutes after)"), min_value=0, max_value=480, initial=0)
    equipment = forms.CharField(
        label=_("equipment needed"),
        max_length=300,
        required=False,
        validators=[no_control_characters],
        help_text=_("e.g. projector, sound, chairs set in rows"),
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("equipment on loan"),
        queryset=Venue.objects.resources(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_public = forms.BooleanField(
        label=_("public"),
        required=False,
        initial=True,
        help_text=_("Untick for an internal meeting: villagers see 已占用."),
    )
    hours_override_reason = forms.CharField(
        label=_("reason for booking outside opening hours"),
        max_length=200,
        required=False,
        validators=[no_control_characters],
        help_text=_("Only for a use outside opening hours, e.g. a night meeting."),
    )
    repeat_until = forms.DateField(
        label=_("repeat every week until"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for one date. Every week on the same weekday, up to this date."),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean_contact_mobile(self):
        mobile = self.cleaned_data.get("contact_mobile")
        if not mobile:
            return None
        member = Member.objects.filter(mobile=mobile, user__isnull=False).select_related("user").first()
        if member is None:
            raise forms.ValidationError(_("No member with a login has this mobile number."))
        return member.user

    def clean(self):
        cleaned = self.clean_times(super().clean())
        until, day = cleaned.get("repeat_until"), cleaned.get("day")
        if until and day and until < day:
            self.add_error("repeat_until", _("The last date must not be before the first."))
        return cleaned

    def booking_fields(self) -> dict:
        """The keyword arguments of `services.booking_create` (without venue, times and who)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "organiser": data["organiser"],
            "organiser_kind": data["organiser_kind"],
            "purpose": data["purpose"],
            "attendance": data["attendance"],
            "setup_minutes": data["setup_minutes"],
            "cleanup_minutes": data["cleanup_minutes"],
            "equipment": data["equipment"],
            "resources": list(data["resources"]),
            "is_public": data["is_public"],
            "note": data["note"],
            "contact": data["contact_mobile"],
            "hours_override_reason": data["hours_override_reason"],
        }


class RoomRequestForm(WhenMixin, forms.Form):
    venue = forms.ModelChoiceField(label=_("room"), queryset=Venue.objects.rooms().filter(is_bookable=True))
    title = forms.CharField(
        label=_("what for"),
        max_length=120,
        validators=[no_control_characters],
        help_text=_("e.g. 广场舞排练, 村民代表会"),
    )
    purpose = forms.ChoiceField(label=_("purpose"), choices=REQUESTABLE)
    organiser = forms.CharField(
        label=_("team, committee or person"),
        max_length=100,
        validators=[no_control_characters],
        help_text=_("e.g. 广场舞队, 上清水村委会"),
    )
    organiser_kind = forms.ChoiceField(
        label=_("kind of organiser"),
        choices=[(v, label) for v, label in Organiser.choices if v not in ("government", "center")],
    )
    attendance = forms.IntegerField(label=_("how many people"), min_value=1, initial=10)
    day = forms.DateField(label=_("date"), widget=DATE)
    starts = forms.TimeField(label=_("start time"), widget=TIME)
    ends = forms.TimeField(label=_("end time"), widget=TIME)
    equipment = forms.CharField(
        label=_("equipment needed"), max_length=300, required=False, validators=[no_control_characters]
    )
    note = forms.CharField(
        label=_("anything else"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        return self.clean_times(super().clean())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, required=False, validators=[no_control_characters])


class MoveForm(WhenMixin, forms.Form):
    venue = forms.ModelChoiceField(label=_("room"), queryset=Venue.objects.rooms())
    day = forms.DateField(label=_("date"), widget=DATE)
    starts = forms.TimeField(label=_("start time"), widget=TIME)
    ends = forms.TimeField(label=_("end time"), widget=TIME)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False, validators=[no_control_characters])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        return self.clean_times(super().clean())


class HostedRecordForm(forms.Form):
    attendance = forms.IntegerField(label=_("attendance"), min_value=0)
    organisations = forms.CharField(
        label=_("organisations present"), max_length=500, required=False, validators=[no_control_characters]
    )
    summary = forms.CharField(label=_("minutes or summary"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
    services = forms.MultipleChoiceField(
        label=_("services the center gave"),
        choices=HostedService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class HostedFileForm(forms.ModelForm):
    """Minutes and papers by type and size, photos re-encoded: checked as the events' archive files are."""

    class Meta:
        model = HostedFile
        fields = ["kind", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        return check_archive_upload(self, super().clean(), photo=HostedFile.Kind.PHOTO)


class BookingAdminForm(forms.ModelForm):
    """The admin keeps the calendar's rules: a clash or a broken room rule is a form error, never a 500."""

    class Meta:
        model = Booking
        fields = [
            "venue", "title", "organiser", "organiser_kind", "purpose", "attendance", "starts_at", "ends_at",
            "setup_minutes", "cleanup_minutes", "equipment", "resources", "is_public", "status",
            "hours_override_reason", "contact", "decision_reason", "note", "team",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.bookable().order_by("kind", "name")

    def clean(self):
        from activities import services

        cleaned = super().clean()
        venue, starts_at, ends_at = cleaned.get("venue"), cleaned.get("starts_at"), cleaned.get("ends_at")
        if venue is None or starts_at is None or ends_at is None:
            return cleaned
        if cleaned.get("status") != Booking.Status.CONFIRMED:
            return cleaned
        for problem in services.booking_problems(
            venue=venue, starts_at=starts_at, ends_at=ends_at, attendance=cleaned.get("attendance")
        ):
            self.add_error("starts_at" if "midnight" in problem or "午夜" in problem else "venue", problem)
        if self.errors:
            return cleaned
        if not (cleaned.get("hours_override_reason") or "").strip():
            from culturecenter.hours import HoursCalendar

            calendar = HoursCalendar(timezone.localdate(starts_at), timezone.localdate(starts_at))
            for problem in services.hours_problems(calendar, starts_at, ends_at):
                self.add_error("hours_override_reason", problem)
        for problem in services.booking_clash_problems(
            booking=self.instance,
            venue=venue,
            starts_at=starts_at,
            ends_at=ends_at,
            setup_minutes=cleaned.get("setup_minutes"),
            cleanup_minutes=cleaned.get("cleanup_minutes"),
            resources=list(cleaned.get("resources") or []),
        ):
            self.add_error("venue", problem)
        return cleaned
