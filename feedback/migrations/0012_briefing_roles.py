from django.db import migrations

from culturecenter import roles

_WRITE = ["view_briefing", "add_briefing", "change_briefing", "view_nextstep", "view_briefingtargets", "change_briefingtargets"]
# Only the head of the center (审核人) signs off; staff draft and write.
PERMISSIONS = {roles.STAFF: _WRITE, roles.REVIEWER: [*_WRITE, "sign_briefing"]}


def forwards(apps, schema_editor):
    roles.grant_permissions(apps, "feedback", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0011_work_briefings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
