"""Pages of the reading campaigns (书香伴我行)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from culturecenter.lib.charts import bar_chart
from culturecenter.lib.export import table_response
from culturecenter.lib.params import as_id
from culturecenter.lib.private_files import serve_private
from culturecenter.models import AgeGroup, Member, Village
from lending import campaigns
from lending.forms import CheckInForm, EnrolForm, ModerationForm
from lending.models import Campaign, CheckIn, Enrolment
from lending.views import confirm_page


def campaign_list(request):
    today = timezone.localdate()
    running = Campaign.objects.filter(ends_on__gte=today).order_by("starts_on")
    past = Campaign.objects.filter(ends_on__lt=today).order_by("-starts_on")
    return render(request, "lending/campaign_list.html", {"running": running, "past": past, "today": today})


def _household(request):
    if request.user.is_authenticated and hasattr(request.user, "member"):
        return Member.objects.managed_by(request.user).present()
    return None


def campaign_detail(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    village = request.GET.get("village", "") if request.GET.get("village") in Village.values else ""
    age_group = request.GET.get("age", "") if request.GET.get("age") in AgeGroup.values else ""
    household = _household(request)
    context = {
        "campaign": campaign,
        "today": timezone.localdate(),
        "running": campaign.is_running(),
        **campaigns.standings(campaign, village=village, age_group=age_group),
        "village": village,
        "age_group": age_group,
        "villages": Village.choices,
        "age_groups": AgeGroup.choices,
        "wall": CheckIn.objects.on_wall()
        .filter(campaign=campaign)
        .select_related("member")
        .order_by("-created_at")[:12],
    }
    if household is not None:
        enrolled = {
            e.member_id: e
            for e in Enrolment.objects.filter(campaign=campaign, member__in=household, withdrawn_at__isnull=True)
        }
        people = list(household)
        mine = [person for person in people if person.pk in enrolled]
        context.update(
            progress=[(p, enrolled[p.member.pk]) for p in campaigns.progress_for(campaign, mine)],
            enrol_form=EnrolForm(people=household.exclude(pk__in=enrolled)) if len(mine) < len(people) else None,
            can_check_in=bool(mine) and campaign.is_running(),
            window=campaigns.allowed_days(campaign),
            weekdays=campaigns.WEEKDAY_HEADINGS,
        )
    return render(request, "lending/campaign_detail.html", context)


@login_required
@require_POST
def campaign_enrol(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    form = EnrolForm(request.POST, people=_household(request))
    if form.is_valid():
        try:
            added = campaigns.campaign_enrol(
                campaign=campaign, members=list(form.cleaned_data["members"]), by=request.user
            )
        except campaigns.CampaignError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s people take part now. Happy reading!") % {"count": added})
    else:
        messages.error(request, " ".join(form.errors["members"]))
    return redirect(campaign)


@login_required
def campaign_withdraw(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.filter(
            member__in=Member.objects.managed_by(request.user), withdrawn_at__isnull=True
        ).select_related("campaign", "member"),
        pk=pk,
    )
    if request.method != "POST":
        days = len(campaigns.progress_for(enrolment.campaign, [enrolment.member])[0].days)
        return confirm_page(
            request,
            title=_("Leave “%(campaign)s”?") % {"campaign": enrolment.campaign.title},
            lines=[
                _("%(name)s leaves the campaign and no longer appears on the leaderboard.")
                % {"name": enrolment.member.name},
                _("The %(days)s check-in days so far are kept; taking part again later counts them again.")
                % {"days": days},
            ],
            action_label=_("Yes, leave the campaign"),
            keep_label=_("Keep reading"),
            back=enrolment.campaign.get_absolute_url(),
        )
    campaigns.campaign_withdraw(enrolment=enrolment, by=request.user)
    messages.success(request, _("%(name)s has left the campaign.") % {"name": enrolment.member.name})
    return redirect(enrolment.campaign)


@login_required
def campaign_checkin(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    household = _household(request)
    if household is None:
        raise Http404
    people = household.filter(enrolments__campaign=campaign, enrolments__withdrawn_at__isnull=True)
    form = CheckInForm(
        request.POST or None,
        request.FILES or None,
        people=people,
        campaign=campaign,
        initial={"day": timezone.localdate(), "member": as_id(request.GET.get("member"))},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkin = campaigns.checkin_log(
                campaign=campaign,
                member=data["member"],
                day=data["day"],
                book_title=data["book_title"],
                minutes=data["minutes"],
                reflection=data["reflection"],
                photo=data["photo"],
                share=data["share"],
                by=request.user,
            )
        except campaigns.CampaignError as error:
            form.add_error("day", error)
        else:
            if checkin.counted:
                messages.success(
                    request,
                    _("Checked in for %(name)s on %(day)s.")
                    % {"name": checkin.member.name, "day": checkin.day.strftime("%m-%d")},
                )
            else:
                messages.info(
                    request,
                    _(
                        "Logged. %(name)s had already checked in that day, so the minutes and the "
                        "book are added but not another day."
                    )
                    % {"name": checkin.member.name},
                )
            return redirect(campaign)
    return render(
        request,
        "lending/campaign_checkin.html",
        {"campaign": campaign, "form": form, "window": campaigns.allowed_days(campaign)},
    )


def certificate(request, slug, member_id):
    campaign = get_object_or_404(Campaign, slug=slug)
    if request.user.has_perm("lending.view_campaign"):
        people = Member.objects.all()
    else:
        people = _household(request)
        if people is None:
            raise Http404
    member = get_object_or_404(people, pk=member_id)
    progress = campaigns.progress_for(campaign, [member])[0]
    if not progress.reached_goal:
        raise Http404("The goal is not reached yet.")
    return render(
        request, "lending/certificate.html", {"campaign": campaign, "progress": progress, "today": timezone.localdate()}
    )


@login_required
@permission_required("lending.moderate_checkin", raise_exception=True)
def moderation(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    if request.method == "POST":
        checkin = get_object_or_404(CheckIn, pk=as_id(request.POST.get("checkin")), campaign=campaign)
        form = ModerationForm(request.POST)
        form.is_valid()
        try:
            campaigns.reflection_moderate(
                checkin=checkin,
                approve=request.POST.get("action") == "approve",
                reason=form.cleaned_data.get("reason", ""),
                by=request.user,
            )
        except campaigns.CampaignError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("lending:campaign_moderation", slug=slug)
    queue = (
        CheckIn.objects.awaiting_moderation().filter(campaign=campaign).select_related("member").order_by("created_at")
    )
    return render(request, "lending/campaign_moderation.html", {"campaign": campaign, "queue": queue})


STAT_HEADERS = [
    "姓名 Name",
    "村庄 Village",
    "年龄段 Age group",
    "打卡天数 Days",
    "阅读分钟 Minutes",
    "书 Books",
    "最长连续 Best streak",
    "达标 Goal reached",
]


@login_required
@permission_required("lending.view_campaign", raise_exception=True)
def statistics(request, slug, fmt=None):
    campaign = get_object_or_404(Campaign, slug=slug)
    if fmt not in (None, "csv", "xlsx"):
        raise Http404
    if fmt:
        members = [
            e.member
            for e in Enrolment.objects.filter(campaign=campaign, withdrawn_at__isnull=True)
            .select_related("member")
            .order_by("member__name")
        ]
        rows = (
            [
                p.member.name,
                p.member.get_village_display(),
                p.member.get_age_group_display(),
                p.day_count,
                p.minutes,
                len(p.books),
                p.best_streak,
                "是" if p.reached_goal else "",
            ]
            for p in campaigns.progress_for(campaign, members)
        )
        return table_response(headers=STAT_HEADERS, rows=rows, filename=f"campaign-{campaign.slug}", fmt=fmt)
    stats = campaigns.campaign_statistics(campaign)
    chart = bar_chart([(day.strftime("%m-%d"), n) for day, n in stats["per_day"]], title=_("Check-ins per day"))
    age_labels, village_labels = dict(AgeGroup.choices), dict(Village.choices)
    context = {
        "campaign": campaign,
        "stats": stats,
        "chart": chart,
        "by_age_group": [(age_labels.get(row["group"], row["group"]), row["n"]) for row in stats["by_age_group"]],
        "by_village": [(village_labels.get(row["member__village"], "—"), row["n"]) for row in stats["by_village"]],
    }
    return render(request, "lending/campaign_statistics.html", context)


@require_GET
def checkin_photo(request, pk):
    """A reading photo: to everyone once its reflection is on the wall, before that only to
    the reader's household and the moderators; anyone else gets 404, as if it did not exist."""
    checkin = get_object_or_404(CheckIn.objects.exclude(photo=""), pk=pk)
    may_see = (
        checkin.is_public
        or request.user.has_perm("lending.moderate_checkin")
        or Member.objects.managed_by(request.user).filter(pk=checkin.member_id).exists()
    )
    if not may_see:
        raise Http404
    return serve_private(checkin.photo)
