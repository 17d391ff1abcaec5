from django.urls import path

from feedback import views, views_indicators, views_quizzes
from feedback.briefings import views as briefings

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
    path("indicators/targets/", briefings.indicators, name="indicator_targets"),
    path("briefings/", briefings.briefing_list, name="briefings"),
    path("briefings/new/", briefings.briefing_new, name="briefing_new"),
    path("briefings/<int:pk>/", briefings.briefing_detail, name="briefing"),
    path("briefings/<int:pk>/texts/", briefings.briefing_write, name="briefing_write"),
    path("briefings/<int:pk>/steps/", briefings.next_step_add, name="briefing_step_add"),
    path("briefings/<int:pk>/steps/<int:step_id>/remove/", briefings.next_step_remove, name="briefing_step_remove"),
    path("briefings/<int:pk>/sign/", briefings.briefing_sign, name="briefing_sign"),
    path("briefings/<int:pk>/revise/", briefings.briefing_revise, name="briefing_revise"),
    path("briefings/<int:pk>/print/", briefings.briefing_print, name="briefing_print"),
    path("briefings/<int:pk>/briefing.pdf", briefings.briefing_pdf, name="briefing_pdf"),
    path("briefings/<int:pk>/briefing.xlsx", briefings.briefing_xlsx, name="briefing_xlsx"),
]
