from django.db import migrations

from activities.models import event_search_document
from culturecenter.lib.search import token_indexes


def fill(apps, schema_editor):
    Event = apps.get_model("activities", "Event")
    events = list(Event.objects.select_related("venue").prefetch_related("audiences"))
    for event in events:
        event.search_text, event.search_tokens = event_search_document(event, [t.code for t in event.audiences.all()])
    Event.objects.bulk_update(events, ["search_text", "search_tokens"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("activities", "0007_event_search_columns")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        token_indexes("activities_event"),
    ]
