from django.urls import path

from activities.views import events, rooms

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
    path("rooms/", rooms.calendar, name="rooms"),
    path("rooms/book/", rooms.book, name="room_book"),
    path("rooms/today/", rooms.today, name="rooms_today"),
    path("rooms/requests/", rooms.requests, name="room_requests"),
    path("rooms/request/", rooms.room_request, name="room_request"),
    path("rooms/mine/", rooms.mine, name="rooms_mine"),
    path("rooms/mine/<int:pk>/cancel/", rooms.mine_cancel, name="rooms_mine_cancel"),
    path("rooms/bookings/<int:pk>/", rooms.booking_detail, name="room_booking"),
    path("rooms/bookings/<int:pk>/act/", rooms.booking_act, name="room_booking_act"),
    path("rooms/bookings/<int:pk>/record/", rooms.record, name="room_record"),
    path("rooms/series/<int:pk>/", rooms.series_detail, name="room_series"),
    path("rooms/files/<int:pk>/", rooms.hosted_file, name="room_file"),
    path("rooms/<int:pk>/", rooms.room_detail, name="room"),
]
