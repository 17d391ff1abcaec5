"""The sections of a 工作简报, one module and one small function each, registered in
`feedback.briefings.registry` (see there how to add one). Importing this package registers them."""

from feedback.briefings.sections import (  # noqa: F401
    activities,
    evaluation,
    issues,
    overview,
    publicity,
    reading,
    supply,
    teams,
    venues,
)
