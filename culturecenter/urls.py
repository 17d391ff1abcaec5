from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from culturecenter import views
from culturecenter.forms import AdminLoginForm
from culturecenter.lib.pagecache import keeps_public_pages

admin.site.login_form = AdminLoginForm

handler500 = "culturecenter.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("hours/", views.opening_hours, name="hours"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/register/", views.register, name="register"),
    path("accounts/login/", views.MemberLoginView.as_view(), name="login"),
    path("accounts/logout/", keeps_public_pages(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password/", views.MemberPasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/reset/", views.password_reset, name="password_reset"),
    path("accounts/me/", views.me, name="me"),
    path("accounts/notices/", views.notices, name="notices"),
    path("accounts/me/household/add/", views.household_add, name="household_add"),
    path("accounts/me/household/<int:member_id>/", views.household_edit, name="household_edit"),
    path("accounts/me/data/", views.my_data, name="my_data"),
    path("accounts/me/export/", views.export, name="export"),
    path("accounts/me/delete/", views.delete_account, name="delete_account"),
    path("accounts/me/volunteering/", include("activities.urls_account")),
    path("activities/", include("activities.urls")),
    path("news/", include("activities.urls_news")),
    path("library/", include("lending.urls")),
    path("feedback/", include("feedback.urls")),
    path("briefings/", include("feedback.public_urls")),
    path("i18n/setlang/", keeps_public_pages(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
