"""What old eyes and unsteady fingers meet: focus rings, type sizes, tap targets, page weight."""

import gzip
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import (
    lend,
    make_book,
    make_dependant,
    make_event,
    make_regular_schedule,
    make_staff,
    make_villager,
    sign_up,
)
from tests.e2e.conftest import PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene():
    """A week of the center as villagers find it: hours, events, a book out, a campaign, a survey, a need."""
    from feedback.models import Answer, Choice, Need, Question, Questionnaire, Response
    from lending.models import Campaign, CheckIn, Enrolment

    make_regular_schedule()
    now, today = timezone.now(), timezone.localdate()
    villager = make_villager()
    make_dependant(villager)
    event = make_event(title="亲子风筝绘画", category="handicraft")
    make_event(title="冬季防火安全讲座", category="science", starts_in=timedelta(days=2))
    held = make_event(title="拓印体验", starts_in=-timedelta(days=1))
    sign_up(held, villager, checked_in_at=now - timedelta(days=1))
    book = make_book("平凡的世界", isbn="9787530212004")
    lend(make_book("京西古道").copies.get(), villager)
    campaign = Campaign.objects.create(
        slug="winter", title="书香伴我行", starts_on=today - timedelta(days=20), ends_on=today + timedelta(days=20)
    )
    Enrolment.objects.create(campaign=campaign, member=villager)
    for n in range(3):
        CheckIn.objects.create(campaign=campaign, member=villager, day=today - timedelta(days=n), minutes=30)
    week = timedelta(days=7)
    survey = Questionnaire.objects.create(title="冬季需求", opens_at=now - week, closes_at=now + week)
    single = Question.objects.create(questionnaire=survey, text="最方便的时间", kind="single")
    several = Question.objects.create(questionnaire=survey, order=1, text="感兴趣的活动", kind="multiple")
    for i, text in enumerate(["工作日晚上", "周末上午"]):
        Choice.objects.create(question=single, order=i, text=text)
        Choice.objects.create(question=several, order=i, text=f"活动{i}")
    Question.objects.create(questionnaire=survey, order=2, text="满意度", kind="rating")
    for _n in range(3):
        Answer.objects.create(response=Response.objects.create(questionnaire=survey), question=single).choices.add(
            single.choices.first()
        )
    Need.objects.create(posted_by=make_villager(name="李秀兰"), category="arts", village="xidamo", text="书法班")
    make_staff()
    make_staff("librarian", "图书管理员")
    return {"villager": villager, "event": event, "held": held, "book": book, "campaign": campaign, "survey": survey}


def luminance(rgb):
    channels = [c / 255 for c in rgb]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The focused element's ring (its own, or its ::after for a link stretched over a card), the
# colour just inside the ring (the 2 px gap), the element's background and the page's behind it.
RING = """() => {
  const el = document.activeElement;
  const rgb = (c) => {
    const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number);
    return a > 0.5 ? [r, g, b] : null;
  };
  const behind = (node) => {
    for (let n = node; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c) return c;
    }
    return [255, 255, 255];
  };
  const ring = (style) => ({
    style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: rgb(style.outlineColor),
    gap: style.boxShadow === "none" ? null : rgb(style.boxShadow.match(/rgba?\\([^)]*\\)/)[0]),
  });
  let style = getComputedStyle(el);
  if (style.outlineStyle === "none") style = getComputedStyle(el, "::after");
  const variant = [...el.classList].find((c) => c.startsWith("btn-"));
  const kind = el.closest(".site-header") ? "header " + el.tagName.toLowerCase()
    : el.tagName.toLowerCase() + (el.tagName === "INPUT" ? `[${el.type}]` : "") + (variant ? "." + variant : "");
  const focused = ring(style);
  const page = behind(el.parentElement);
  const own = rgb(getComputedStyle(el).backgroundColor) || page;
  el.blur();
  const blurred = getComputedStyle(el);
  return { kind, text: (el.textContent || el.name || "").trim().slice(0, 20), focused, page, own,
           unfocused: blurred.outlineStyle === "none" || parseFloat(blurred.outlineWidth) === 0,
           border: ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName) ? rgb(blurred.borderTopColor) : null };
}"""


def focus_rings(page, path, presses=70):
    """Tab through a page with the keyboard and read every focused element's ring."""
    page.goto(path)
    rings = []
    for _press in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        rings.append({"path": path, **page.evaluate(RING)})
    return rings


def ring_problems(ring):
    focused, problems = ring["focused"], []
    if focused["style"] == "none" or focused["width"] < 2 or not focused["color"] or not ring["unfocused"]:
        problems.append("no ring that appears with focus")
    elif contrast(focused["color"], ring["page"]) < 3:
        problems.append(f"ring {contrast(focused['color'], ring['page']):.1f}:1 against the page")
    else:
        against_element = [contrast(c, ring["own"]) for c in (focused["color"], focused["gap"]) if c]
        if max(against_element) < 3:
            problems.append(f"ring {max(against_element):.1f}:1 against the element")
    if ring["border"] and contrast(ring["border"], ring["page"]) < 3:
        problems.append(f"field border {contrast(ring['border'], ring['page']):.1f}:1 against the page")
    return [(ring["path"], ring["kind"], ring["text"], p) for p in problems]


def test_every_kind_of_focusable_element_shows_a_ring_that_stands_out_from_it_and_the_page(browser, live_server, scene):
    # Reduced motion: Bootstrap then changes colours and shadows at once, not over 0.15 s.
    desktop = {"width": 1280, "height": 900}
    context = browser.new_context(viewport=desktop, base_url=live_server.url, reduced_motion="reduce")
    page = context.new_page()
    rings = []
    for path in ("/", "/activities/", "/accounts/login/", "/accounts/register/", "/library/"):
        rings += focus_rings(page, path)
    log_in(page, scene["villager"].mobile)
    for path in (scene["event"].get_absolute_url(), f"/feedback/surveys/{scene['survey'].pk}/", "/feedback/"):
        rings += focus_rings(page, path)

    kinds = {ring["kind"] for ring in rings}
    for kind in ("header a", "header button", "a", "button.btn-primary", "button.btn-outline-primary", "select"):
        assert kind in kinds
    for kind in ("input[text]", "input[checkbox]", "input[radio]", "summary", "a.btn-outline-primary"):
        assert kind in kinds
    problems = [problem for ring in rings for problem in ring_problems(ring)]
    assert problems == [], problems


TYPE_SIZES = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim(), el = walker.currentNode.parentElement;
    if (!text || el.closest("script, style, title, option, .visually-hidden, .skip-link")) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2 || getComputedStyle(el).visibility !== "visible") continue;
    const svg = el.closest("svg");  // text in an SVG is scaled with its viewBox
    const size = parseFloat(getComputedStyle(el).fontSize) * (svg ? svg.getScreenCTM().a : 1);
    if (size < 14) small.push(`${el.tagName.toLowerCase()}.${el.getAttribute("class")} ${text.slice(0, 12)} ${size}px`);
  }
  const charts = [...document.querySelectorAll("svg[viewBox]")].map((svg) => {
    const box = svg.getBoundingClientRect(), border = 2 * parseFloat(getComputedStyle(svg).borderTopWidth);
    const shown = (box.width - border) / (box.height - border);
    return Math.abs(shown - svg.viewBox.baseVal.width / svg.viewBox.baseVal.height) < 0.02;
  });
  return { small, body: parseFloat(getComputedStyle(document.body).fontSize), charts };
}"""


def test_nothing_a_villager_reads_is_below_14_px_and_charts_keep_their_shape(browser, live_server, scene):
    campaign, survey = scene["campaign"], scene["survey"]
    visits = {
        None: ["/", "/hours/", "/activities/", scene["event"].get_absolute_url(), "/library/", "/feedback/"],
        scene["villager"].mobile: ["/accounts/me/", f"/library/books/{scene['book'].pk}/", campaign.get_absolute_url()],
        "staff": [f"/feedback/surveys/{survey.pk}/results/", f"/activities/{scene['held'].pk}/checkin/"],
        "librarian": ["/library/desk/", f"{campaign.get_absolute_url()}statistics/"],
    }
    small, charts = [], []
    for who, paths in visits.items():
        page = browser.new_context(viewport=PHONE, base_url=live_server.url).new_page()
        if who:
            log_in(page, who)
        for path in paths:
            page.goto(path)
            if path == "/library/desk/":
                page.locator("#id_code").fill(scene["villager"].reader_card)
                page.locator("#id_code").press("Enter")
                page.wait_for_selector(".desk__reader")
            sizes = page.evaluate(TYPE_SIZES)
            assert sizes["body"] >= 16
            small += [(path, text) for text in sizes["small"]]
            charts += sizes["charts"]
    assert small == []
    assert len(charts) >= 2 and all(charts)


def sizes(locators):
    """(text, width, height) of each element, measured now (locators are lazy)."""
    boxes = [(locator.text_content().strip()[:12], locator.bounding_box()) for locator in locators]
    return [(text, found["width"], found["height"]) for text, found in boxes]


def test_cards_rows_back_links_footer_links_and_plus_one_are_44_px_targets(browser, live_server, scene):
    # Reduced motion: no smooth scrolling, so a box measured after scrolling stays where it is.
    page = browser.new_context(viewport=PHONE, base_url=live_server.url, reduced_motion="reduce").new_page()
    page.goto("/activities/")
    card = page.locator(".event-card", has_text="亲子风筝绘画")
    # Scroll and hit-test in one go in the page, so nothing moves in between.
    href, *centre = card.evaluate("""(card) => {
      card.scrollIntoView({ block: "center" });
      const box = card.querySelector(".event-card__poster").getBoundingClientRect();
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      return [document.elementFromPoint(x, y).closest("a")?.getAttribute("href"), x, y];
    }""")
    assert href == scene["event"].get_absolute_url()  # the whole card is the title's link
    assert card.locator("a").count() == 1
    with page.expect_navigation():
        page.mouse.click(*centre)  # a tap on the poster opens the event
    assert page.url.endswith(scene["event"].get_absolute_url())

    targets = sizes(page.locator(".site-footer a").all())
    page.goto(scene["event"].get_absolute_url())
    targets += sizes([page.locator("main a", has_text="←")])
    log_in(page, scene["villager"].mobile)
    for path in (f"/feedback/surveys/{scene['survey'].pk}/", f"/feedback/evaluate/{scene['held'].pk}/"):
        page.goto(path)
        targets += sizes(page.locator(".form-check-label").all())
    page.goto("/feedback/")
    targets += sizes([page.get_by_role("button", name="+1").first])
    page.goto(f"/library/books/{scene['book'].pk}/")
    targets += sizes([page.locator("main a", has_text="←")])

    assert len(targets) >= 16
    assert [target for target in targets if min(target[1:]) < 44] == []


def test_a_first_visit_to_home_weighs_under_100_kb_compressed(browser, live_server, scene):
    page = browser.new_context(viewport=PHONE, base_url=live_server.url).new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/")
    page.wait_for_load_state("networkidle")

    bodies = {response.url: response.body() for response in responses if response.status == 200}
    compressed = sum(len(gzip.compress(body)) for body in bodies.values())
    stylesheets = sum(len(body) for url, body in bodies.items() if url.endswith(".css"))
    assert any(url.endswith("bootstrap.min.css") for url in bodies)
    assert compressed <= 100_000
    assert stylesheets <= 60_000  # uncompressed too: a whole Bootstrap alone is 232 KB
