from django.urls import path

from feedback import views, views_indicators, views_quizzes

app_name = "feedback"

urlpatterns = [
    path("", views.board, name="board"),
    path("needs/new/", views.need_post, name="need_post"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/support/", views.need_support, name="need_support"),
    path("needs/<int:pk>/manage/", views.need_manage, name="need_manage"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("surveys/<int:pk>/entry/", views.survey_entry, name="survey_entry"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.<str:fmt>", views.survey_results, name="survey_export"),
    path("indicators/", views_indicators.indicator_page, name="indicators"),
    path("quizzes/<int:pk>/", views_quizzes.quiz, name="quiz"),
    path("quizzes/<int:pk>/results/", views_quizzes.quiz_results, name="quiz_results"),
    path("quizzes/<int:pk>/results.<str:fmt>", views_quizzes.quiz_results, name="quiz_export"),
    path("quizzes/<int:pk>/draw/", views_quizzes.quiz_draw, name="quiz_draw"),
    path("quizzes/<int:pk>/live/", views_quizzes.quiz_live, name="quiz_live"),
    path("evaluate/<int:event_id>/", views.evaluate, name="evaluate"),
    path("evaluate/<int:event_id>/slips/", views.evaluation_slips, name="evaluation_slips"),
]
