from django.core.management.base import BaseCommand

from feedback import quizzes
from feedback.models import QuizDraw


class Command(BaseCommand):
    help = "Give prizes not collected by their deadline to the next reserves, and tell them (run daily)."

    def handle(self, *args, **options):
        moved = 0
        for draw in QuizDraw.objects.filter(drawn_at__isnull=False).select_related("questionnaire"):
            moved += quizzes.draw_pass_on_unclaimed(questionnaire=draw.questionnaire)
        self.stdout.write(f"passed on {moved}")
