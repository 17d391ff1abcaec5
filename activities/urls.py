from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("archive/", views.archive, name="archive"),
    path("archive/files/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("today/", views.today, name="today"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
    path("<int:pk>/registrants/", views.registrants, name="registrants"),
    path("<int:pk>/registrants.<str:fmt>", views.registrants, name="registrants_export"),
    path("<int:pk>/registrants/<int:registration_id>/cancel/", views.registrant_cancel, name="registrant_cancel"),
    path("<int:pk>/worklog/", views.work_log, name="work_log"),
    path("<int:pk>/review/", views.review, name="review"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="cancel"),
    path("tickets/<str:code>/", views.ticket, name="ticket"),
]
