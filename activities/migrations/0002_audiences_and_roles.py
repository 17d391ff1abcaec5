from django.db import migrations

from culturecenter import roles

AUDIENCES = ["elderly", "minors", "family", "disabled", "hardship", "everyone"]

_RUN_EVENTS = [
    *(f"{action}_{model}" for model in ("event", "presenter", "venue") for action in ("view", "add", "change")),
    "view_registration", "view_reviewstep",
    *(f"{action}_{model}" for model in ("worklog", "attachment") for action in ("view", "add", "change")),
    "checkin_event", "sign_up_on_behalf",
]
PERMISSIONS = {
    roles.STAFF: _RUN_EVENTS,
    roles.REVIEWER: [*_RUN_EVENTS, "approve_event", "vet_presenter"],
    roles.VOLUNTEER: ["view_event", "checkin_event"],
}


def forwards(apps, schema_editor):
    AudienceTag = apps.get_model("activities", "AudienceTag")
    for code in AUDIENCES:
        AudienceTag.objects.get_or_create(code=code)
    roles.grant_permissions(apps, "activities", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("culturecenter", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
