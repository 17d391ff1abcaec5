from django.urls import path

from activities.views import courses, events, teams

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
    path("teams/", teams.team_list, name="teams"),
    path("teams/<slug:slug>/", teams.team_detail, name="team"),
    path("teams/<slug:slug>/join/", teams.team_join, name="team_join"),
    path("teams/<slug:slug>/manage/", teams.team_manage, name="team_manage"),
    path("teams/<slug:slug>/requests/<int:pk>/", teams.join_request_decide, name="team_request_decide"),
    path("teams/<slug:slug>/practices/<int:pk>/", teams.practice_attendance, name="practice_attendance"),
    path("teams/<slug:slug>/register.<str:fmt>", teams.team_register, name="team_register"),
    path("courses/", courses.course_list, name="courses"),
    path("courses/<int:pk>/", courses.course_detail, name="course"),
    path("courses/<int:pk>/enrol/", courses.course_enrol, name="course_enrol"),
    path("courses/<int:pk>/manage/", courses.course_manage, name="course_manage"),
    path("courses/<int:pk>/action/", courses.course_action, name="course_action"),
    path("courses/<int:pk>/desk/", courses.course_desk_enrol, name="course_desk_enrol"),
    path("courses/<int:pk>/register.<str:fmt>", courses.course_register_export, name="course_register"),
    path("courses/<int:pk>/certificates/<int:enrolment_id>/", courses.course_certificate, name="course_certificate"),
    path("courses/tickets/<str:code>/", courses.course_ticket, name="course_ticket"),
    path("courses/enrolments/<int:pk>/withdraw/", courses.course_withdraw, name="course_withdraw"),
    path("courses/sessions/<int:pk>/", courses.session_attendance, name="session_attendance"),
    path("courses/sessions/<int:pk>/change/", courses.session_change, name="session_change"),
]
