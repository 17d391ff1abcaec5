"""The desk as a librarian feels it: Chromium scans a stack of books back to back against a
running server, in lend mode and in return mode, and the page itself times each scan from
the Enter key to the answer shown (the frame after the answer changed).

Twice: with desk.js, which posts each scan in the background and swaps the answer and the
panels, and without it (the script blocked), where each scan is a form post, a redirect and
a whole new page (timed from the start of that navigation to its load event)."""

import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.test import Client

from culturecenter.models import Member, User
from lending.models import Copy, Hold, Loan, LoanRules

GOAL_MS = 100
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

# Enter on the scan field starts the clock (document, capture phase: before desk.js sees the key);
# the frame after the answer region changed stops it.
TIMER = """() => {
  window.deskTimes = [];
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.id === "id_code") { window.deskStarted = performance.now(); }
  }, true);
  new MutationObserver(() => {
    const started = window.deskStarted;
    if (started === undefined) { return; }
    window.deskStarted = undefined;
    requestAnimationFrame(() => window.deskTimes.push(performance.now() - started));
  }).observe(document.getElementById("desk-answer"), { childList: true, subtree: true, characterData: true });
}"""
# (The site's Content-Security-Policy forbids Playwright's wait_for_function, which evaluates a string.)
NEXT_TIME = """(count) => new Promise((resolve) => {
  const check = () => (window.deskTimes.length > count ? resolve(window.deskTimes.at(-1)) : setTimeout(check, 5));
  check();
})"""
PAGE_LOADED = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  return navigation.loadEventEnd - navigation.startTime;
}"""


@dataclass
class Stack:
    """Readers with nothing at home and copies on the shelf that no one waits for."""

    readers: list[Member]
    copies: list[str]
    per_reader: int
    answers: list[str] = field(default_factory=list)  # any scan whose answer was not a success


def stack(books: int) -> Stack:
    per_reader = max(1, LoanRules.current().max_loans - 1)
    at_home = Loan.objects.open().filter(member=OuterRef("pk"))
    readers = (
        Member.objects.filter(reader_card__isnull=False, anonymised_at__isnull=True)
        .exclude(Exists(at_home))
        .exclude(Exists(Hold.objects.active().filter(member=OuterRef("pk"))))
        .order_by("pk")[: -(-books // per_reader)]
    )
    waited_for = Hold.objects.active().filter(book=OuterRef("book"))
    copies = (
        Copy.objects.filter(status=Copy.Status.ON_SHELF)
        .exclude(Exists(waited_for))
        .order_by("pk")
        .values_list("barcode", flat=True)[:books]
    )
    return Stack(list(readers), list(copies), per_reader)


def desk_librarian() -> User:
    """The benchmark's librarian on the scale database, the demo's on the demo database."""
    from bench import scale

    username = scale.BENCH_LIBRARIAN if settings.SCALE_DATABASE else "librarian"
    return User.objects.get(username=username)


def session_cookie(user: User, base_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def run(base_url: str, books: int = 20, browser=None) -> dict:
    """Scan `books` copies out to a few readers and back in, with and without desk.js; times in ms.
    In Chromium launched here, or in the Playwright `browser` given (the tests')."""
    pile = stack(books)
    if len(pile.copies) < books or not pile.readers:
        raise RuntimeError(f"Not enough free readers and copies on the shelf for {books} books.")
    librarian = desk_librarian()
    # A new desk session for each way; made before Playwright's event loop, where the ORM may not run.
    cookies = {way: session_cookie(librarian, base_url) for way in ("background", "full page")}
    if browser is not None:
        return _run_in(browser, base_url, pile, cookies)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _run_in(browser, base_url, pile, cookies)
        finally:
            browser.close()


def _run_in(browser, base_url: str, pile: Stack, cookies: dict) -> dict:
    results = {"goal_ms": GOAL_MS, "books": len(pile.copies)}
    for way, script in (("background", True), ("full page", False)):
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        context.add_cookies([cookies[way]])
        if not script:
            context.route("**/desk*.js", lambda route: route.abort())
        results[way] = _scan_the_stack(context.new_page(), pile, script)
        context.close()
    results["unexpected_answers"] = pile.answers[:10]
    return results


def _scan_the_stack(page, pile: Stack, script: bool) -> dict:
    response = page.goto("/library/desk/")
    if response.status != 200 or not page.locator("#desk-answer").count():
        raise RuntimeError(f"The desk answered {response.status} at {page.url}, not the desk page.")
    times = {"lend": [], "return": []}
    copies = iter(pile.copies)
    for reader in pile.readers:
        _scan(page, reader.reader_card, script, pile)
        for _, code in zip(range(pile.per_reader), copies, strict=False):
            times["lend"].append(_scan(page, code, script, pile, expect="alert-success"))
    _switch_mode(page)
    for code in pile.copies:
        times["return"].append(_scan(page, code, script, pile, expect="alert-success"))
    _switch_mode(page)
    return {mode: summary(samples) for mode, samples in times.items()}


def _scan(page, code: str, script: bool, pile: Stack, expect: str | None = None) -> float:
    field = page.locator("#id_code")
    if script:
        if not page.evaluate("window.deskTimes !== undefined"):
            page.evaluate(TIMER)
        count = page.evaluate("window.deskTimes.length")
        field.fill(code)
        field.press("Enter")
        elapsed = page.evaluate(NEXT_TIME, count)
    else:
        field.fill(code)
        with page.expect_navigation(wait_until="load"):
            field.press("Enter")
        elapsed = page.evaluate(PAGE_LOADED)
    if expect and not page.locator(f"#desk-answer .{expect}").count():
        pile.answers.append(f"{code}: {page.locator('#desk-answer').inner_text().strip()}")
    return elapsed


def _switch_mode(page) -> None:
    with page.expect_navigation():
        page.locator("#desk-mode button").click()


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "scans": len(ordered),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
    }
