"""Search that finds what villagers type: several words, pinyin, part of an ISBN.

A searchable row keeps two columns, computed in Python when it is saved (`document`):

- `search_text`: its searchable fields normalised (NFKC, so full-width letters and the
  ideographic space become plain ones; case folded; punctuation turned into spaces) and
  joined by spaces, followed by the pinyin of its names, in full and as initials
  (红楼梦 → `hongloumeng hlm`);
- `search_tokens`: the n-grams of each space-separated segment of that text (every
  character, every pair, every ASCII triple) and `#`-marked n-grams of its codes (ISBN).

A query is split into words (`words`); a row matches when every word lies inside one
segment of its text, or a code word (six digits or more) inside its code. SQLite asks
`search_text` with LIKE. PostgreSQL asks `search_tokens` with `@>` under a GIN index,
which is exact for words of one or two characters and narrows longer words to a few rows
that LIKE re-checks, so both databases find the same rows. Trigrams (pg_trgm) cannot
serve the commonest Chinese search, a two-character word; pairs can.

`contains` is the plain substring match, for short lists such as readers by name; on
PostgreSQL trigram indexes (`trigram_indexes`) serve it for three characters or more."""

import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Q
from django.utils import translation
from django.utils.functional import cached_property

TEXT, TOKENS = "search_text", "search_tokens"
CODE_MARK = "#"  # a code's n-grams are kept apart: "100" in a title never finds an ISBN
CODE_DIGITS = 6  # a code word has at least this many digits
MAX_WORDS = 8
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CODE = re.compile(r"[\d-]*\d[\d-]*[xX]?")


def normalise(text: str) -> str:
    """Text as it is searched: NFKC, case folded, runs of punctuation and space → one space."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def words(query: str) -> list[tuple[str, bool]]:
    """The words of a query as (word, is_code). Digits typed with hyphens or spaces
    (`978-7-02-000220-7`, `978 7020 002207`) are one code word."""
    raw = unicodedata.normalize("NFKC", query or "").strip()
    found = []
    code = re.sub(r"[\s-]", "", raw)
    if _CODE.fullmatch(code) and _is_code(code):
        found.append((code.casefold(), True))
    else:
        for chunk in raw.split():
            chunk = chunk.strip("-")
            if _CODE.fullmatch(chunk) and _is_code(chunk):
                found.append((chunk.replace("-", "").casefold(), True))
            else:
                found.extend((word, False) for word in normalise(chunk).split())
    return list(dict.fromkeys(found))[:MAX_WORDS]


def _is_code(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= CODE_DIGITS


def labels(label) -> list[str]:
    """A translatable label (a choice's) in every language of the site, so that both
    `亲子` and `parents` find an event for parents and children."""
    texts = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts.append(str(label))
    return texts


def document(*texts: str, names: Iterable[str] = (), codes: Iterable[str] = ()) -> tuple[str, list[str]]:
    """(search_text, search_tokens) of a row: `texts` are found as typed, `names` also by
    their pinyin, `codes` only by a code word."""
    names = [normalise(name) for name in names]
    segments = " ".join([*names, *map(normalise, texts)]).split()
    for name in names:
        for segment in name.split():
            segments.extend(_pinyin(segment))
    tokens = set()
    for segment in segments:
        tokens |= _grams(segment)
    for code in codes:
        tokens |= {CODE_MARK + gram for gram in _grams(normalise(code).replace(" ", ""))}
    return " ".join(segments), sorted(tokens)


def _pinyin(segment: str) -> list[str]:
    """The segment in full pinyin and in initials, if it has Chinese characters."""
    parts = re.split(f"([{HAN}]+)", segment)
    if len(parts) == 1:
        return []
    from pypinyin import lazy_pinyin

    full = initials = ""
    for odd, part in enumerate(parts):
        if odd % 2:
            syllables = lazy_pinyin(part)
            full += "".join(syllables)
            initials += "".join(syllable[:1] for syllable in syllables)
        else:
            full += part
            initials += part
    return [full, initials]


def _grams(segment: str) -> set[str]:
    """Every character, every pair and every ASCII triple of a segment."""
    grams = set(segment)
    grams.update(segment[i : i + 2] for i in range(len(segment) - 1))
    grams.update(triple for i in range(len(segment) - 2) if (triple := segment[i : i + 3]).isascii())
    return grams


def _query_grams(word: str) -> set[str]:
    """Grams every segment holding `word` has: the word itself up to two characters,
    else its ASCII triples and its other pairs."""
    if len(word) <= 2:
        return {word}
    triples = {word[i : i + 3] for i in range(len(word) - 2)}
    pairs = {word[i : i + 2] for i in range(len(word) - 1)}
    return {gram for gram in triples if gram.isascii()} | {gram for gram in pairs if not gram.isascii()}


def matching(query: str, *, code_field: str | None = None) -> Q:
    """Rows (with `search_text` and `search_tokens`) that have every word of `query`;
    a code word may instead be inside `code_field`."""
    postgres = connection.vendor == "postgresql"
    match, grams = Q(), set()
    for word, is_code in words(query):
        if postgres:
            checked = Q(**{f"{TEXT}__contains": word}) if len(word) > 2 else Q()
            if is_code and code_field:
                in_text = Q(**{f"{TOKENS}__contains": sorted(_query_grams(word))}) & checked
                in_code = Q(**{f"{TOKENS}__contains": sorted(CODE_MARK + g for g in _query_grams(word))})
                match &= in_text | (in_code & Q(**{f"{code_field}__contains": word.upper()}))
            else:
                grams |= _query_grams(word)
                match &= checked
        else:
            found = Q(**{f"{TEXT}__contains": word})
            if is_code and code_field:
                found |= Q(**{f"{code_field}__contains": word.upper()})
            match &= found
    if grams:
        match &= Q(**{f"{TOKENS}__contains": sorted(grams)})
    return match


class CappedPaginator(Paginator):
    """Pages of search results that count at most `cap` of them: counting every match of
    a common word means reading every matching row, and nobody pages through thousands.
    `capped` tells the page to say "more than …" and to ask for another word."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap, self.capped = cap, False

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by().values("pk")[: self.cap + 1].count()  # unordered: any cap + 1 rows will do
        self.capped = found > self.cap
        return min(found, self.cap)


class TokensField(ArrayField):
    """`search_tokens`: text[] on PostgreSQL, under a GIN index (`gin_indexes`). Other
    databases keep the same tokens joined by spaces in a text column, which their search
    does not read (it reads `search_text`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_field", models.TextField())
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["base_field"], kwargs["size"]
        return name, path, args, kwargs

    def db_type(self, connection):
        return super().db_type(connection) if connection.vendor == "postgresql" else "text"

    def cast_db_type(self, connection):
        return super().cast_db_type(connection) if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        return super().get_placeholder(value, compiler, connection) if connection.vendor == "postgresql" else "%s"

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor == "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        return " ".join(value) if isinstance(value, (list, tuple)) else value

    def from_db_value(self, value, expression, connection):
        return value.split() if isinstance(value, str) else value


def contains(text: str, *fields: str) -> Q:
    """Rows where any of `fields` contains `text`. `icontains` compares UPPER(column)
    with UPPER(text): needed for Latin letters, wasted on Chinese, which has no case (the
    upper-casing alone costs a third of a table scan), so text without case uses LIKE."""
    lookup = "icontains" if text.upper() != text.lower() else "contains"
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__{lookup}": text})
    return match


def trigram_indexes(*columns: tuple[str, str]):
    """Migration operations: pg_trgm, and for each (table, column) a trigram index on the
    column and one on UPPER(column). Nothing happens on other databases."""
    from django.contrib.postgres.operations import TrigramExtension
    from django.db import migrations

    def index_sql(schema_editor, table, column):
        quote = schema_editor.quote_name
        for suffix, expression in (("trgm", quote(column)), ("upper_trgm", f"UPPER({quote(column)})")):
            yield quote(f"{table}_{column}_{suffix}"), expression

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table, column in columns:
                for name, expression in index_sql(schema_editor, table, column):
                    quoted_table = schema_editor.quote_name(table)
                    schema_editor.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {quoted_table} USING gin ({expression} gin_trgm_ops)"
                    )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table, column in columns:
                for name, _expression in index_sql(schema_editor, table, column):
                    schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return [TrigramExtension(), migrations.RunPython(create, drop)]


def token_indexes(*tables: str):
    """Migration operation: a GIN index on each table's `search_tokens`, on PostgreSQL."""
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                name, quoted_table = schema_editor.quote_name(f"{table}_{TOKENS}_gin"), schema_editor.quote_name(table)
                schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {quoted_table} USING gin ({TOKENS})")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(f'{table}_{TOKENS}_gin')}")

    return migrations.RunPython(create, drop)
