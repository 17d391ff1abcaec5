import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.db import IntegrityError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from culturecenter import hours, sections, services
from culturecenter.forms import DeleteAccountForm, HouseholdMemberForm, LoginForm, ProfileForm, RegistrationForm
from culturecenter.lib.health import database_answers
from culturecenter.lib.pagecache import cache_public_page, keeps_public_pages
from culturecenter.models import Member, Notice


def _hours_context():
    now = timezone.now()
    status = hours.status_at(now)
    return {
        "status": status,
        "status_text": hours.status_text(status, now),
        "week": hours.week_of(timezone.localdate(now)),
    }


@cache_public_page
def home(request):
    context = {**_hours_context(), "sections": sections.render_context("home", request)}
    return render(request, "culturecenter/home.html", context)


def opening_hours(request):
    seasons, special_days = hours.upcoming_changes(timezone.localdate())
    context = {**_hours_context(), "seasons": seasons, "special_days": special_days}
    return render(request, "culturecenter/hours.html", context)


def privacy(request):
    return render(request, "culturecenter/privacy.html")


@require_GET
@never_cache
def healthz(request):
    if not database_answers(timeout=settings.HEALTHZ_TIMEOUT_SECONDS):
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


class MemberLoginView(LoginView):
    form_class = LoginForm
    keeps_public_pages = True
    redirect_authenticated_user = True


class MemberPasswordChangeView(SuccessMessageMixin, PasswordChangeView):
    success_url = reverse_lazy("me")
    success_message = gettext_lazy("Your password has been changed.")
    keeps_public_pages = True


@keeps_public_pages
def register(request):
    if request.user.is_authenticated:
        return redirect("me")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.member_register(
                name=data["name"],
                mobile=data["mobile"],
                password=data["password1"],
                village=data["village"],
                birth_year=data["birth_year"],
                email=data["email"],
            )
        except IntegrityError:  # the same mobile registered a moment ago by another request
            form.add_error("mobile", Member._meta.get_field("mobile").error_messages["unique"])
            return render(request, "registration/register.html", {"form": form})
        login(request, member.user, backend="culturecenter.backends.MobileOrUsernameBackend")
        messages.success(
            request,
            _("Welcome, %(name)s! Your reader card number is %(card)s.")
            % {"name": member.name, "card": member.reader_card},
        )
        return redirect("me")
    return render(request, "registration/register.html", {"form": form})


def _member_or_404(request) -> Member:
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404("This login has no member record.")
    return member


@login_required
def me(request):
    if not hasattr(request.user, "member"):
        if request.user.is_staff:
            return redirect("admin:index")
        raise Http404
    member = request.user.member
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details have been saved."))
        return redirect("me")
    household = Member.objects.managed_by(request.user).exclude(pk=member.pk)
    notices = list(
        Notice.objects.filter(member__in=Member.objects.managed_by(request.user)).select_related("member")[:10]
    )
    context = {
        "member": member,
        "form": form,
        "household": household,
        "notices": notices,
        "sections": sections.render_context("account", request),
    }
    response = render(request, "culturecenter/me.html", context)
    # Shown once as new, then kept as read.
    Notice.objects.filter(pk__in=[n.pk for n in notices if n.read_at is None]).update(read_at=timezone.now())
    return response


@login_required
def household_add(request):
    guardian = _member_or_404(request)
    form = HouseholdMemberForm(request.POST or None, initial={"village": guardian.village})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added = services.household_member_add(
            guardian=guardian,
            name=data["name"],
            village=data["village"],
            birth_year=data["birth_year"],
            mobile=data["mobile"],
        )
        messages.success(request, _("%(name)s has been added to your household.") % {"name": added.name})
        return redirect("me")
    return render(request, "culturecenter/household_form.html", {"form": form})


@login_required
def household_edit(request, member_id):
    guardian = _member_or_404(request)
    person = get_object_or_404(Member.objects.managed_by(request.user).filter(user__isnull=True), pk=member_id)
    form = HouseholdMemberForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The details of %(name)s have been saved.") % {"name": person.name})
        return redirect("me")
    return render(request, "culturecenter/household_form.html", {"form": form, "person": person, "guardian": guardian})


@login_required
@require_GET
def export(request):
    _member_or_404(request)
    data = services.member_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="qingshui-my-data-{timezone.localdate():%Y%m%d}.json"'
    return response


@login_required
def delete_account(request):
    _member_or_404(request)
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        messages.success(request, _("Your account and personal data have been deleted."))
        return redirect("home")
    return render(request, "culturecenter/delete_account.html", {"form": form})
