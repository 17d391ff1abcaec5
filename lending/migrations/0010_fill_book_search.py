from django.db import migrations

from culturecenter.lib.search import token_indexes
from lending.models import book_search_document


def fill(apps, schema_editor):
    Book = apps.get_model("lending", "Book")
    books = list(Book.objects.all())
    for book in books:
        book.search_text, book.search_tokens = book_search_document(book)
    Book.objects.bulk_update(books, ["search_text", "search_tokens"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("lending", "0009_book_search_columns")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        token_indexes("lending_book"),
    ]
