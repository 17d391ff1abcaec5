from django.db import migrations, models

from culturecenter.lib.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0004_campaign_roles"),
        ("culturecenter", "0003_notice"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="book",
            index=models.Index(fields=["title", "id"], name="book_title_order"),
        ),
        # the catalogue's search, and the desk's look-up of readers by name
        *trigram_indexes(
            ("lending_book", "title"),
            ("lending_book", "author"),
            ("lending_book", "keywords"),
            ("culturecenter_member", "name"),
        ),
    ]
