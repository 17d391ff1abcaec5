"""PDF from the print page's HTML with WeasyPrint, which needs Pango (Debian's libpango);
`make` installs both when run as root. Without them the PDF link says why."""

import functools


@functools.cache
def unavailable() -> str:
    """Why no PDF can be made here, or "" when WeasyPrint and Pango work."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return "WeasyPrint is not installed (pip install -r requirements.txt)."
    except OSError as error:  # WeasyPrint is there but Pango is not
        return f"Pango is missing ({error}); install the Debian package libpango-1.0-0 (make install as root)."
    return ""


def render_pdf(html: str, *, stylesheet: str | None) -> bytes:
    import weasyprint

    sheets = [weasyprint.CSS(filename=stylesheet)] if stylesheet else []
    return weasyprint.HTML(string=html).write_pdf(stylesheets=sheets)
