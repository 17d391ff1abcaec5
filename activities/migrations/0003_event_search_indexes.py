from django.db import migrations

from culturecenter.lib.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_audiences_and_roles")]

    # the event list's search
    operations = trigram_indexes(("activities_event", "title"), ("activities_event", "description"))
