"""8 宣传: news published, prize quizzes and their participants, 知晓率 and 参与率 with n."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Article
from feedback import indicators
from feedback.briefings.figures import figure, rate, section, table
from feedback.briefings.measures import within
from feedback.briefings.registry import Context, register
from feedback.models import Response as SurveyResponse


@register(8, "publicity", gettext_lazy("Publicity"))
def publicity(ctx: Context) -> dict:
    p = ctx.period
    news = list(
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .filter(within(p, "published_at"))
        .values("published_at", "title")
        .order_by("published_at", "pk")
    )
    quizzes = list(
        SurveyResponse.objects.filter(questionnaire__is_quiz=True)
        .filter(within(p, "created_at"))
        .values("questionnaire__title")
        .annotate(n=Count("pk"))
        .order_by("questionnaire__title")
    )
    # The rates of questions tagged 知晓 / 参与 / 满意, counted as the rates page counts them.
    rates = indicators.indicator_rates(indicators.indicator_responses(start=p.first, end=p.last))
    figures = [
        figure("publicity.news", _("News published"), len(news), rows="publicity.news"),
        figure("publicity.quizzes", _("Prize quizzes answered"), len(quizzes), rows="publicity.quizzes"),
        figure(
            "publicity.quiz_entries",
            _("Quiz entries"),
            sum(q["n"] for q in quizzes),
            unit=_(" person-times"),
            rows="publicity.quizzes",
        ),
    ]
    figures += [
        rate(
            f"publicity.rate.{r.question_id}",
            f"{r.label}：{r.question}",
            r.positive,
            r.valid,
            note=_("“%(questionnaire)s”; yes: %(yes)s")
            % {"questionnaire": r.questionnaire, "yes": "、".join(r.yes_choices)},
        )
        for r in rates
    ]
    tables = [
        table(
            "publicity.news",
            _("News published"),
            [_("date"), _("title")],
            [[timezone.localtime(n["published_at"]).date().isoformat(), n["title"]] for n in news],
        ),
        table(
            "publicity.quizzes",
            _("Prize quizzes answered"),
            [_("quiz"), _("entries")],
            [[q["questionnaire__title"], q["n"]] for q in quizzes],
        ),
    ]
    return section(8, "publicity", _("Publicity"), figures=figures, tables=tables)
