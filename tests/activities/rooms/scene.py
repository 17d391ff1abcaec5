"""The room calendar's part of the access matrix's scene: a room, a hosted meeting held
yesterday with its record and a file, and a repeating booking."""

from datetime import time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from activities.models import Booking, BookingSeries, HostedFile, HostedRecord, Venue


def room_kwargs() -> dict:
    hall = Venue.objects.create(name="多功能厅", capacity=120)
    start = timezone.now() - timedelta(days=1)
    series = BookingSeries.objects.create(
        venue=hall, title="广场舞排练", weekday=start.weekday(), starts_time=time(19), ends_time=time(21),
        first_date=timezone.localdate(), last_date=timezone.localdate() + timedelta(weeks=2),
    )  # fmt: skip
    meeting = Booking.objects.create(
        venue=hall, title="人代会", organiser="镇人大", purpose=Booking.Purpose.HOSTED_MEETING, starts_at=start,
        ends_at=start + timedelta(hours=2),
    )  # fmt: skip
    record = HostedRecord.objects.create(booking=meeting, attendance=80, summary="纪要")
    stored = HostedFile(record=record, kind=HostedFile.Kind.MINUTES)
    stored.file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"))
    return {
        "activities:room": {"pk": hall.pk},
        "activities:room_booking": {"pk": meeting.pk},
        "activities:room_booking_act": {"pk": meeting.pk},
        "activities:room_record": {"pk": meeting.pk},
        "activities:room_series": {"pk": series.pk},
        "activities:room_file": {"pk": stored.pk},
        "activities:rooms_mine_cancel": {"pk": meeting.pk},
    }
