from django.urls import path

from lending import views

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
]
