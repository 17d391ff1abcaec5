from django.urls import path

from activities.views import events, volunteers

app_name = "activities"

urlpatterns = [
    path("", events.event_list, name="list"),
    path("archive/", events.archive, name="archive"),
    path("archive/files/<int:pk>/", events.attachment_file, name="attachment_file"),
    path("today/", events.today, name="today"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("<int:pk>/signup/", events.signup, name="signup"),
    path("<int:pk>/event.ics", events.event_ics, name="ics"),
    path("<int:pk>/checkin/", events.checkin, name="checkin"),
    path("<int:pk>/registrants/", events.registrants, name="registrants"),
    path("<int:pk>/registrants.<str:fmt>", events.registrants, name="registrants_export"),
    path("<int:pk>/registrants/<int:registration_id>/cancel/", events.registrant_cancel, name="registrant_cancel"),
    path("<int:pk>/worklog/", events.work_log, name="work_log"),
    path("<int:pk>/review/", events.review, name="review"),
    path("registrations/<int:pk>/cancel/", events.registration_cancel, name="cancel"),
    path("tickets/<str:code>/", events.ticket, name="ticket"),
    path("volunteer/", volunteers.volunteer_home, name="volunteer"),
    path("volunteer/apply/", volunteers.apply, name="volunteer_apply"),
    path("volunteer/<int:pk>/consent/", volunteers.consent, name="volunteer_consent"),
    path("volunteer/shifts/<int:pk>/", volunteers.shift_detail, name="volunteer_shift"),
    path("volunteer/shifts/<int:pk>/signup/", volunteers.shift_signup, name="volunteer_signup"),
    path("volunteer/shifts/<int:pk>/no-shows/", volunteers.shift_no_shows, name="volunteer_no_shows"),
    path("volunteer/signups/<int:pk>/cancel/", volunteers.signup_cancel, name="volunteer_cancel"),
    path("volunteer/signups/<int:pk>/confirm/", volunteers.signup_confirm, name="volunteer_confirm"),
    path("volunteer/signups/<int:pk>/check/", volunteers.signup_check, name="volunteer_check"),
    path("volunteer/signups/<int:pk>/decide/", volunteers.request_decide, name="volunteer_request_decide"),
    path("volunteer/hours/report/", volunteers.hours_report, name="volunteer_hours_report"),
    path("volunteer/hours/<int:pk>/decide/", volunteers.hours_decide, name="volunteer_hours_decide"),
    path("volunteer/hours/<int:pk>/correct/", volunteers.hours_correct, name="volunteer_hours_correct"),
    path("volunteer/staff/", volunteers.staff, name="volunteer_staff"),
    path("volunteer/staff/applications/<int:pk>/", volunteers.application_decide, name="volunteer_application_decide"),
    path("volunteer/staff/alerts/<int:pk>/seen/", volunteers.alert_seen, name="volunteer_alert_seen"),
    path("volunteer/staff/volunteers/<int:pk>/", volunteers.person, name="volunteer_person"),
    path("volunteer/staff/hours/", volunteers.hours_by_village, name="volunteer_hours"),
    path("volunteer/staff/hours.<str:fmt>", volunteers.hours_by_village, name="volunteer_hours_export"),
    path("volunteer/verify/<str:serial>/", volunteers.verify, name="volunteer_verify"),
]
