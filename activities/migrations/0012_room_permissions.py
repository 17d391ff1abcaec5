from django.db import migrations

from culturecenter import roles

_RUN_ROOMS = [
    *(f"{action}_{model}" for model in ("booking", "bookingseries", "hostedrecord") for action in ("view", "add", "change")),
    "view_occupancy",
    "view_bookingstep",
    "view_hostedfile",
    "add_hostedfile",
]
PERMISSIONS = {roles.STAFF: _RUN_ROOMS, roles.REVIEWER: _RUN_ROOMS}


def forwards(apps, schema_editor):
    roles.grant_permissions(apps, "activities", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("activities", "0011_rooms_and_occupancy")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
