"""/briefings/: the signed-off briefings as the villagers may read them (你说我做)."""

from django.urls import path

from feedback.briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
