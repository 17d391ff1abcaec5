"""PDF from the print page's HTML with WeasyPrint, which needs Pango (Debian's libpango);
`make` installs both when run as root. Without them the PDF link says why."""

import functools
import logging

from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


@functools.cache
def _missing() -> str:
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return "weasyprint"
    except OSError as error:  # WeasyPrint is there but Pango is not
        log.warning("WeasyPrint cannot load Pango: %s", error)
        return "pango"
    return ""


def unavailable() -> str:
    """Why no PDF can be made here, or "" when WeasyPrint and Pango work."""
    missing = _missing()
    if missing == "weasyprint":
        return _("WeasyPrint is not installed on the server.")
    if missing == "pango":
        return _("The server lacks the Pango library of the operating system.")
    return ""


def render_pdf(html: str, *, stylesheet: str | None) -> bytes:
    import weasyprint

    sheets = [weasyprint.CSS(filename=stylesheet)] if stylesheet else []
    return weasyprint.HTML(string=html).write_pdf(stylesheets=sheets)
