from django.db import migrations

from culturecenter import roles

_MODELS = ("volunteer", "shift", "shiftrole", "shiftsignup", "hoursentry", "recognition", "certificate", "coordinatoralert")
_COORDINATE = [
    *(f"{action}_{model}" for model in _MODELS for action in ("view", "add", "change")),
    "coordinate_volunteers",
]
PERMISSIONS = {roles.STAFF: _COORDINATE, roles.REVIEWER: _COORDINATE}


def forwards(apps, schema_editor):
    roles.grant_permissions(apps, "activities", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("activities", "0013_volunteers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
