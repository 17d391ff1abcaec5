from django.db import migrations

from culturecenter import roles


def create_roles(apps, schema_editor):
    roles.grant_permissions(apps, "culturecenter", roles.PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=roles.PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("culturecenter", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
