"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Every page a browser test opens must fit a 390 px phone without sideways scrolling, in both
# languages, at normal size and with the root font at 200 % (a phone's large-text setting).
PHONE = {"width": 390, "height": 844}
LANGUAGES = ("zh-hans", "en")
ZOOMS = ("100%", "200%")
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest(".table-responsive"))
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  return [document.documentElement.scrollWidth - width, culprits.slice(-3)];
}"""


class CheckedContext:
    """A browser context that remembers the pages it opened and, when closed, opens each again
    at phone width in both languages and both text sizes (same cookies, so logged in as before)."""

    def __init__(self, context):
        self._context = context
        self.urls = []
        context.on("page", lambda page: page.on("framenavigated", lambda frame: self._visited(page, frame)))

    def __getattr__(self, name):
        return getattr(self._context, name)

    def _visited(self, page, frame):
        url = frame.url.split("#")[0]
        if frame == page.main_frame and url.startswith("http") and "/admin/" not in url and url not in self.urls:
            self.urls.append(url)

    def problems(self) -> list:
        """(url, language, zoom, pixels, elements) for every visited page that scrolls sideways."""
        if not self.urls:
            return []
        urls, found = list(self.urls), []
        page = self._context.new_page()
        page.set_viewport_size(PHONE)
        for language in LANGUAGES:
            self._context.add_cookies([{"name": "django_language", "value": language, "url": urls[0]}])
            for url in urls:
                try:
                    response = page.goto(url)
                except PlaywrightError:  # a form's POST address, re-rendered with errors: GET gives 405
                    continue
                if response is None or response.status >= 400:
                    continue
                for zoom in ZOOMS:
                    page.evaluate(f"document.documentElement.style.fontSize = '{zoom}'")
                    overflow, culprits = page.evaluate(OVERFLOW)
                    if overflow > 0:
                        found.append((url, language, zoom, overflow, culprits))
        page.close()
        return found

    def close(self):
        problems = self.problems()
        self.urls = []
        self._context.close()
        assert problems == [], f"pages that scroll sideways on a phone: {problems}"


class CheckedBrowser:
    """Chromium whose new contexts check every page they visited (see CheckedContext)."""

    def __init__(self, browser):
        self._browser = browser
        self.open_contexts = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        context = CheckedContext(self._browser.new_context(**kwargs))
        self.open_contexts.append(context)
        return context


@pytest.fixture(autouse=True)
def _no_pages_cached_by_the_last_test(transactional_db):
    """A transactional test's flush empties the models' tables but not the cache table, where the
    last test's public pages still are: move the page cache on to a new generation."""
    from culturecenter.lib import pagecache

    pagecache.new_generation()


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The test's browser; the contexts it left open are checked and closed after the test."""
    checked = CheckedBrowser(chromium)
    yield checked
    problems = []
    for context in checked.open_contexts:
        if context.urls:
            problems += context.problems()
            context.urls = []
            context._context.close()
    assert problems == [], f"pages that scroll sideways on a phone: {problems}"


@pytest.fixture
def phone(browser, live_server):
    """A page at phone size (390×844) against the live test server."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    context.close()


def log_in(page, username, password="correct-horse-42"):
    """Log in through the real form and wait for the redirect."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
