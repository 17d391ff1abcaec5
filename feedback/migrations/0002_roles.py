from django.db import migrations

from culturecenter import roles

_FEEDBACK = [
    *(f"{action}_{model}" for model in ("questionnaire", "question", "choice") for action in ("view", "add", "change")),
    "delete_question", "delete_choice", "view_response", "add_response", "view_evaluation", "add_evaluation",
    "view_eventfeedback", "view_need", "change_need", "moderate_need",
]
PERMISSIONS = {roles.STAFF: _FEEDBACK, roles.REVIEWER: _FEEDBACK}


def forwards(apps, schema_editor):
    roles.grant_permissions(apps, "feedback", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("culturecenter", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
