from django.db import migrations

from culturecenter import roles

_QUIZZES = [
    *(f"{action}_{model}" for model in ("bankrule", "villagepopulation") for action in ("view", "add", "change")),
    "delete_bankrule",
    "view_quizdraw",
    "view_drawentry",
    "run_draw",
]
PERMISSIONS = {roles.STAFF: _QUIZZES, roles.REVIEWER: _QUIZZES}


def forwards(apps, schema_editor):
    roles.grant_permissions(apps, "feedback", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0008_quizzes_and_indicators"), ("culturecenter", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
