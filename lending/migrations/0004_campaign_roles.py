from django.db import migrations

from culturecenter import roles

_CAMPAIGNS = [
    "view_campaign", "add_campaign", "change_campaign", "view_enrolment", "view_checkin", "moderate_checkin",
]
PERMISSIONS = {roles.LIBRARIAN: _CAMPAIGNS, roles.STAFF: _CAMPAIGNS}


def forwards(apps, schema_editor):
    roles.grant_permissions(apps, "lending", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("lending", "0003_campaigns")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
