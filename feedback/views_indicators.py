"""Staff page of the rates the center is judged on: indicators and registry coverage."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from culturecenter.models import AgeGroup, Village
from feedback import indicators
from feedback.models import Channel


def _date(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@login_required
@permission_required("feedback.view_response", raise_exception=True)
def indicator_page(request):
    today = timezone.localdate()
    end = _date(request.GET.get("end"), today)
    start = _date(request.GET.get("start"), end - timedelta(days=364))
    if start > end:
        start, end = end, start
    filters = {
        "village": request.GET.get("village", "") if request.GET.get("village") in Village.values else "",
        "age_group": request.GET.get("age_group", "") if request.GET.get("age_group") in AgeGroup.values else "",
        "channel": request.GET.get("channel", "") if request.GET.get("channel") in Channel.values else "",
    }
    responses = indicators.indicator_responses(start=start, end=end, **filters)
    context = {
        "start": start,
        "end": end,
        "filters": filters,
        "villages": Village.choices,
        "age_groups": AgeGroup.choices,
        "channels": Channel.choices,
        "rates": indicators.indicator_rates(responses),
        "coverage": indicators.registry_coverage(start, end),
        "small_sample": indicators.SMALL_SAMPLE,
    }
    return render(request, "feedback/indicators.html", context)
