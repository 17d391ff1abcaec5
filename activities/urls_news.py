from django.urls import path

from activities.views import news

app_name = "news"

urlpatterns = [
    path("", news.news_list, name="list"),
    path("feed/", news.feed, name="feed"),
    path("review/<int:pk>/", news.news_review, name="review"),
    path("<slug:slug>/", news.news_article, name="article"),
]
