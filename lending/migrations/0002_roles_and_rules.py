from django.db import migrations

from culturecenter import roles

_CATALOGUE = [f"{action}_{model}" for model in ("book", "copy") for action in ("view", "add", "change")]
PERMISSIONS = {
    roles.LIBRARIAN: [*_CATALOGUE, "use_desk", "view_loan", "view_hold", "view_loanrules", "change_loanrules"],
    roles.STAFF: ["view_book", "view_copy", "view_loan", "view_hold"],
}


def forwards(apps, schema_editor):
    apps.get_model("lending", "LoanRules").objects.get_or_create(pk=1)
    roles.grant_permissions(apps, "lending", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0001_initial"),
        ("culturecenter", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
