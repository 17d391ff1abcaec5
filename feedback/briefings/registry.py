"""The registry of the sections of a 工作简报: one small function each, in one module each
under `feedback/briefings/sections/`.

A section function takes the `Context` (period, targets, the briefing if any, what earlier
sections found) and returns `figures.section(...)`: plain figures, tables of the rows they come
from, charts and flags, all JSON, so that sign-off stores them as they are. Every figure is
aggregated in the database with a fixed number of queries, whatever the size of the period.

To add a section (队伍与志愿服务 is number 5, 宣传 number 8), write
`feedback/briefings/sections/teams.py`:

    from django.utils.translation import gettext as _
    from django.utils.translation import gettext_lazy

    from feedback.briefings.figures import figure, rate, section, table
    from feedback.briefings.measures import within
    from feedback.briefings.registry import Context, register

    @register(5, "teams", gettext_lazy("Teams and volunteering"))
    def teams(ctx: Context) -> dict:
        ...  # aggregate over ctx.period with .aggregate()/.annotate(), never a loop over rows
        return section(5, "teams", _("Teams and volunteering"), figures=[...], tables=[...])

add it to the import list in `sections/__init__.py`, and its key is already in
`services.SECTION_KEYS` (so staff can write its prose). Sections are shown in number order and
numbered 一、二、… as they appear. A section whose data does not exist is not registered: no
placeholders.
"""

from dataclasses import dataclass, field

from feedback.briefings.period import Period
from feedback.models import Briefing, BriefingTargets


@dataclass
class Context:
    period: Period
    targets: BriefingTargets
    now: object
    briefing: Briefing | None = None
    results: dict = field(default_factory=dict)  # section key → its result, for the sections after it
    memo: dict = field(default_factory=dict)

    def once(self, name, compute):
        """A measure several sections show (events held, attendance), computed once."""
        if name not in self.memo:
            self.memo[name] = compute()
        return self.memo[name]


@dataclass(frozen=True)
class SectionSpec:
    number: int
    key: str
    title: object
    compute: object


REGISTRY: list[SectionSpec] = []


def register(number, key, title):
    def decorate(compute):
        REGISTRY.append(SectionSpec(number, key, title, compute))
        REGISTRY.sort(key=lambda spec: spec.number)
        return compute

    return decorate


def compute_all(ctx: Context) -> list[dict]:
    sections = []
    for spec in REGISTRY:
        result = spec.compute(ctx)
        ctx.results[spec.key] = result
        sections.append(result)
    return sections
