from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from culturecenter import hours, sections, services
from culturecenter.context_processors import notices_seen
from culturecenter.forms import (
    DeleteAccountForm,
    LoginForm,
    PasswordResetCodeForm,
    PersonWithoutLoginForm,
    ProfileForm,
    RegistrationForm,
)
from culturecenter.lib import personal_data
from culturecenter.lib.health import database_answers
from culturecenter.lib.pagecache import cache_public_page, keeps_public_pages
from culturecenter.lib.throttle import HOUR, Limit
from culturecenter.models import Member, Notice


def _hours_context():
    now = timezone.now()
    status = hours.status_now(now)
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


def server_error(request):
    """The 500 page, rendered without the request's context processors: when the database
    is what failed, nothing on this page may need it."""
    body = loader.get_template("500.html").render({"center_phone": settings.CENTER_PHONE})
    return HttpResponseServerError(body)


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


def _safe_next(request) -> str:
    """The page to return to after logging in or registering, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@keeps_public_pages
def register(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "me")
    form = RegistrationForm(request.POST or None)
    context = {"form": form, "next": next_url}
    # Each account made, and each "already registered" answer (what a script probing
    # mobiles wants), counts against the address; typing mistakes do not.
    limit = Limit("register", window_seconds=HOUR, per_address=settings.REGISTRATIONS_PER_ADDRESS_PER_HOUR)
    if request.method == "POST":
        if limit.reached(request):
            messages.error(request, _("Too many registrations from this connection. Please try again in an hour."))
            # Shown again as typed but never checked, so a refused probe learns nothing.
            context["form"] = RegistrationForm(initial=request.POST.dict())
            return render(request, "registration/register.html", context, status=429)
        if form.is_valid() or form.has_error("mobile", "unique"):
            limit.count(request)
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
            return render(request, "registration/register.html", context)
        login(request, member.user, backend="culturecenter.backends.MobileOrUsernameBackend")
        messages.success(
            request,
            _("Welcome, %(name)s! Your reader card number is %(card)s.")
            % {"name": member.name, "card": member.reader_card},
        )
        return redirect(next_url or "me")
    return render(request, "registration/register.html", context)


def _member_or_404(request) -> Member:
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404("This login has no member record.")
    return member


@keeps_public_pages
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
    # The newest unread ones, shown (not marked read) in the summary; the notices page reads them.
    unread = Notice.objects.filter(member__in=Member.objects.managed_by(request.user), read_at__isnull=True)
    context = {
        "unread": list(unread.select_related("member")[:3]),
        "member": member,
        "form": form,
        "household": household,
        "summary": sections.render_context("account_summary", request),
        "sections": sections.render_context("account", request),
    }
    return render(request, "culturecenter/me.html", context)


NOTICES_PER_PAGE = 20


@login_required
@require_GET
def notices(request):
    """My household's notices, newest first. Opening the page is reading them, so the
    ones shown are marked read after the page is built (it still shows which were new).
    This is the one deliberate write on a GET: it only ever sets a "read at" time once,
    so repeating the request changes nothing more."""
    _member_or_404(request)
    mine = Notice.objects.filter(member__in=Member.objects.managed_by(request.user)).select_related("member")
    page = Paginator(mine, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    response = render(request, "culturecenter/notices.html", {"page": page})
    unread = [notice.pk for notice in page if notice.read_at is None]
    if unread:
        Notice.objects.filter(pk__in=unread).update(read_at=timezone.now())
        notices_seen(request)
    return response


@keeps_public_pages
def password_reset(request):
    """Set a new password with the one-time code from the desk (no login needed)."""
    form = PasswordResetCodeForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = services.password_reset_complete(reset=form.reset, password=form.cleaned_data["new_password1"])
        if user is None:
            messages.error(request, _("This code has just been used. Ask the desk for a new one."))
            return redirect("password_reset")
        messages.success(request, _("Your new password is set. Log in with your mobile number and the new password."))
        return redirect("login")
    return render(request, "registration/password_reset.html", {"form": form})


@keeps_public_pages
@login_required
def household_add(request):
    guardian = _member_or_404(request)
    form = PersonWithoutLoginForm(request.POST or None, initial={"village": guardian.village})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added = services.household_member_add(
            guardian=guardian,
            name=data["name"],
            village=data["village"],
            birth_year=data["birth_year"],
            mobile=data["mobile"],
            by=request.user,
        )
        messages.success(request, _("%(name)s has been added to your household.") % {"name": added.name})
        return redirect("me")
    return render(request, "culturecenter/household_form.html", {"form": form})


@keeps_public_pages
@login_required
def household_edit(request, member_id):
    guardian = _member_or_404(request)
    person = get_object_or_404(Member.objects.managed_by(request.user).filter(user__isnull=True), pk=member_id)
    form = PersonWithoutLoginForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The details of %(name)s have been saved.") % {"name": person.name})
        return redirect("me")
    return render(request, "culturecenter/household_form.html", {"form": form, "person": person, "guardian": guardian})


@login_required
@require_GET
def my_data(request):
    """Everything we keep about me and my household, as tables to read on the phone."""
    _member_or_404(request)
    data = services.member_export(user=request.user)
    # On a phone a wide table wraps one character per line: each row becomes a short list
    # of "label: value" instead, leaving out what is empty.
    for section in data["sections"]:
        labels = [name for _key, name in section["columns"]]
        section["records"] = [
            [(name, value) for name, value in zip(labels, row, strict=True) if value not in (None, "")]
            for row in section["rows"]
        ]
    return render(request, "culturecenter/my_data.html", {"data": data})


@login_required
@require_GET
def export(request):
    """The same as a ZIP: a spreadsheet (one sheet per section) and JSON, with a short readme."""
    _member_or_404(request)
    data = services.member_export(user=request.user)
    stem = f"qingshui-my-data-{timezone.localdate():%Y%m%d}"
    response = HttpResponse(personal_data.zip_bytes(data, stem=stem), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{stem}.zip"'
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
