from django.urls import path

from lending import campaign_views, views

app_name = "lending"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("books/<int:pk>/", views.book_detail, name="book"),
    path("books/<int:pk>/hold/", views.hold_place, name="hold"),
    path("holds/<int:pk>/cancel/", views.hold_cancel, name="hold_cancel"),
    path("loans/<int:pk>/renew/", views.loan_renew, name="renew"),
    path("desk/", views.desk, name="desk"),
    path("desk/lists/", views.desk_lists, name="desk_lists"),
    path("desk/labels/", views.labels, name="labels"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/<slug:slug>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<slug:slug>/enrol/", campaign_views.campaign_enrol, name="campaign_enrol"),
    path("campaigns/<slug:slug>/checkin/", campaign_views.campaign_checkin, name="campaign_checkin"),
    path("campaigns/<slug:slug>/certificate/<int:member_id>/", campaign_views.certificate, name="certificate"),
    path("campaigns/<slug:slug>/moderation/", campaign_views.moderation, name="campaign_moderation"),
    path("campaigns/<slug:slug>/statistics/", campaign_views.statistics, name="campaign_statistics"),
    path("campaigns/<slug:slug>/statistics.<str:fmt>", campaign_views.statistics, name="campaign_export"),
    path("checkins/<int:pk>/photo/", campaign_views.checkin_photo, name="checkin_photo"),
    path("enrolments/<int:pk>/withdraw/", campaign_views.campaign_withdraw, name="campaign_withdraw"),
]
