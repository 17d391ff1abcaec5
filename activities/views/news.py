"""News pages: the list, an article, its review page for staff, and the Atom feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import services
from activities.forms import ArticleReviewForm
from activities.models import Article, ArticlePhoto, body_blocks
from culturecenter.lib.pagecache import cache_public_page

PAGE_SIZE = 10
FEED_SIZE = 20


@cache_public_page(params=["page"])
def news_list(request):
    articles = Article.objects.published().only("title", "slug", "summary", "published_at", "expires_at")
    page = Paginator(articles.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    covers = {}
    for photo in ArticlePhoto.objects.filter(article__in=[a.pk for a in page.object_list]).order_by("order", "pk"):
        covers.setdefault(photo.article_id, photo)
    for article in page.object_list:
        article.cover = covers.get(article.pk)
    return render(request, "activities/news_list.html", {"page": page})


def _may_preview(user) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm("activities.view_article")


def news_article(request, slug):
    staff = _may_preview(request.user)
    articles = Article.objects.all() if staff else Article.objects.visible()
    article = get_object_or_404(
        articles.prefetch_related(Prefetch("events", to_attr="linked_events"), "photos"), slug=slug
    )
    event_ids = [event.pk for event in article.linked_events]
    context = {
        "article": article,
        "blocks": body_blocks(article.body),
        "figures": services.article_figures(event_ids),
        "expired": article.is_expired(),
        "preview": article.status not in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN),
        "staff": staff,
    }
    return render(request, "activities/news_article.html", context)


@login_required
@permission_required("activities.change_article", raise_exception=True)
def news_review(request, pk):
    article = get_object_or_404(Article.objects.select_related("created_by").prefetch_related("photos"), pk=pk)
    if request.method == "POST":
        form = ArticleReviewForm(request.POST)
        action = request.POST.get("action")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "submit":
                    services.article_submit(
                        article=article, by=request.user, opinion=data["opinion"], warnings_read=data["warnings_read"]
                    )
                    messages.success(request, _("Submitted for review."))
                elif action == "approve":
                    services.article_approve(article=article, by=request.user, opinion=data["opinion"])
                    messages.success(request, _("Approved."))
                elif action == "return":
                    services.article_return(article=article, by=request.user, opinion=data["opinion"])
                    messages.success(request, _("Returned to the author."))
                elif action == "withdraw":
                    services.article_withdraw(article=article, by=request.user, reason=data["opinion"])
                    messages.success(request, _("Withdrawn; the article's page now says so."))
                else:
                    messages.error(request, _("Unknown action."))
            except services.ActivityError as error:
                for message in error.messages:
                    messages.error(request, message)
        return redirect("news:review", pk=article.pk)
    context = {
        "article": article,
        "steps": article.steps.select_related("actor"),
        "warnings": services.personal_data_warnings(article),
        "problems": services.approval_problems(article, request.user)
        if article.status == Article.Status.SUBMITTED
        else [],
        "can_approve": request.user.has_perm("activities.approve_article"),
        "form": ArticleReviewForm(),
    }
    return render(request, "activities/news_review.html", context)


class NewsFeed(Feed):
    """Atom feed of published news, for the town's WeChat editor."""

    feed_type = Atom1Feed
    title = gettext_lazy("Qingshui Town Cultural Center · News")
    subtitle = gettext_lazy("News of the center's activities, reviewed before publication.")
    link = "/news/"

    def items(self):
        return Article.objects.published().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at or timezone.now()


feed = NewsFeed()
