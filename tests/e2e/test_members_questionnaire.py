"""The members' questionnaire in real Chromium, as a member at a meeting uses it on a phone: at
320 px wide, with the keyboard alone, from the session's code to thank you; axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from reviews.models import Channel, MemberResponse
from tests.e2e.conftest import axe_violations
from tests.factories import CycleFactory, QuestionnaireSessionFactory
from tests.reviews.members.test_answering import questionnaire_edition

pytestmark = pytest.mark.browser

CODE = "KX7P2MQR"
NOTE = "The garden is lovely in summer."


@pytest.fixture
def session(personas):
    cycle = CycleFactory(service=personas.home, edition=questionnaire_edition())
    return QuestionnaireSessionFactory(cycle=cycle, code=CODE)


def focused_matches(page, selector):
    return page.evaluate("s => document.activeElement !== null && document.activeElement.matches(s)", selector)


def tab_to(page, selector, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_visible(page):
    """The focused element shows it: an outline, or a box shadow."""
    return page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
    }""")


def press_on(page, selector, url):
    tab_to(page, selector)
    assert focus_is_visible(page), f"focus not visible on {selector}"
    page.keyboard.press("Enter")
    page.wait_for_url(url)


def check_page(page, problems, name):
    """One h1, nothing wider than the screen, and no axe violations."""
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, f"{name} scrolls sideways"
    found = axe_violations(page)
    if found:
        problems[name] = found


def test_a_member_answers_at_a_session_on_a_small_screen_with_the_keyboard_alone(page, live_server, session, console_errors):
    """Long because it follows the member page by page, checking each one as they meet it."""
    safe = session.cycle.edition.criteria.get(easy_read="Do you feel safe here?")
    listened = session.cycle.edition.criteria.get(easy_read="Do staff listen to you?")
    base = f"{live_server.url}/questionnaire"
    problems = {}
    page.set_viewport_size({"width": 320, "height": 640})

    # A wrong code first: the message is next to the box, and what was typed is kept.
    page.goto(f"{base}/")
    check_page(page, problems, "code box")
    tab_to(page, "#id_code")
    assert focus_is_visible(page)
    page.keyboard.type("ABCD 1234")
    page.keyboard.press("Enter")
    expect(page.locator("#id_code_error")).to_contain_text("There is no questionnaire with that code")
    expect(page.locator("#id_code")).to_have_value("ABCD 1234")
    check_page(page, problems, "wrong code")

    # The right code, typed in small letters with a space.
    tab_to(page, "#id_code")
    page.keyboard.press("Control+A")
    page.keyboard.type("kx7p 2mqr")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/{CODE}/")
    expect(page.locator("main")).to_contain_text("Staff will not know who said what")
    check_page(page, problems, "start")

    # Page 1: "Do staff listen to you?" — down once from Yes to Sometimes.
    press_on(page, "a.button", url=f"{base}/{CODE}/page/1/")
    check_page(page, problems, "page 1")
    tab_to(page, f'input[type=radio][name="q{listened.pk}"]')
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#id_q{listened.pk}_1")).to_be_checked()
    press_on(page, 'button[name="next"]', url=f"{base}/{CODE}/page/2/")

    # Page 2: "Do you feel safe here?" — Yes.
    check_page(page, problems, "page 2")
    tab_to(page, f'input[type=radio][name="q{safe.pk}"]')
    page.keyboard.press("Space")
    expect(page.locator(f"#id_q{safe.pk}_0")).to_be_checked()
    press_on(page, 'button[name="next"]', url=f"{base}/{CODE}/page/3/")

    # Anything else, then the check page in their own words.
    check_page(page, problems, "anything else")
    tab_to(page, "#id_anything_else")
    page.keyboard.type(NOTE)
    press_on(page, 'button[name="next"]', url=f"{base}/{CODE}/check/")
    main = page.locator("main")
    expect(main).to_contain_text("You said: Sometimes")
    expect(main).to_contain_text("You said: Yes")
    expect(main).to_contain_text("You did not answer this.")
    expect(main).to_contain_text(NOTE)
    assert not re.search(r"V\d\.\d|Value \d+ of|Met\b", main.inner_text())
    check_page(page, problems, "check")
    assert not MemberResponse.objects.exists()

    # Send, and thank you.
    press_on(page, 'button[name="send"]', url=f"{base}/thank-you/")
    expect(page.locator("h1")).to_contain_text("Thank you")
    expect(main).to_contain_text("What happens next")
    check_page(page, problems, "thank you")

    assert problems == {}
    assert [e for e in console_errors if "status of 400" not in e] == []  # the wrong code answered 400, as it should
    response = MemberResponse.objects.get()
    assert (response.channel, response.session_id, response.anything_else) == (Channel.SESSION, session.pk, NOTE)
    assert dict(response.answers.values_list("criterion_id", "answer")) == {listened.pk: "sometimes", safe.pk: "yes"}


def test_the_signed_in_and_staff_pages_pass_axe_at_320_pixels(page, live_server, sign_in, personas, session):
    cycle = session.cycle
    base = f"{live_server.url}/cycles/{cycle.pk}/questionnaire"
    problems = {}
    page.set_viewport_size({"width": 320, "height": 640})

    sign_in(personas.member)
    for name, address in [("member start", f"{base}/"), ("member page", f"{base}/page/1/"), ("member check", f"{base}/check/")]:
        page.goto(address)
        check_page(page, problems, name)
    page.context.clear_cookies()

    sign_in(personas.staff)
    for name, address in [("paper entry", f"{base}/paper/"), ("meeting", f"{base}/meeting/")]:
        page.goto(address)
        check_page(page, problems, name)
    page.locator("#id_group_size").fill("1")
    page.locator("button[type=submit]").last.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_group_size_error")).to_contain_text("two members or more")
    check_page(page, problems, "meeting with an error")

    assert problems == {}


def test_the_members_voice_page_passes_axe_and_opens_a_session_from_the_keyboard(page, live_server, sign_in, personas, session):
    """The service's lead opens a session with the keyboard alone at 320 px; the page with counts
    (as an administrator reads it) passes axe too."""
    cycle = session.cycle
    question = cycle.edition.criteria.exclude(rated_by="staff").first()
    for answer in ["yes"] * 4 + ["no", "sometimes"]:
        MemberResponse.objects.create(cycle=cycle, channel=Channel.PAPER, received_on=session.opens_at.date()).answers.create(
            criterion=question, answer=answer)
    address = f"{live_server.url}/cycles/{cycle.pk}/members/"
    problems = {}
    page.set_viewport_size({"width": 320, "height": 640})

    sign_in(personas.admin)
    page.goto(address)
    expect(page.get_by_text("6 answers").first).to_be_visible()
    check_page(page, problems, "members' voice, administrator")
    page.context.clear_cookies()

    sign_in(personas.lead)
    page.goto(address)
    check_page(page, problems, "members' voice, lead")
    name = page.get_by_label("What the session is for")
    tab_to(page, f"#{name.get_attribute('id')}")
    page.keyboard.type("Community meeting, Thursday")
    tab_to(page, "button[name=open_session]")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Community meeting, Thursday")).to_be_visible()

    assert problems == {}
    opened = cycle.questionnaire_sessions.get(name="Community meeting, Thursday")
    expect(page.locator(f"#session-{opened.pk}")).to_contain_text(opened.code)
