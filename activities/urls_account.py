"""The volunteer record under “My account” (`/accounts/me/volunteering/`)."""

from django.urls import path

from activities.views import volunteers

app_name = "volunteering"

urlpatterns = [
    path("", volunteers.record, name="record"),
    path("certificate/", volunteers.certificate_issue, name="certificate_issue"),
    path("certificates/<str:serial>/", volunteers.certificate_print, name="certificate"),
]
