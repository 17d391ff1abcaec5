from django.db import migrations

from culturecenter import roles

_WRITE_NEWS = [
    *(f"{action}_{model}" for model in ("article", "articlephoto") for action in ("view", "add", "change")),
    "delete_articlephoto",
    "view_articlestep",
]
PERMISSIONS = {
    roles.STAFF: _WRITE_NEWS,
    roles.REVIEWER: [*_WRITE_NEWS, "approve_article"],
}


def forwards(apps, schema_editor):
    roles.grant_permissions(apps, "activities", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("activities", "0016_news"), ("culturecenter", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
