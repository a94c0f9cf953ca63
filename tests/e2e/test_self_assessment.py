"""The self-assessment in real Chromium: done with the keyboard alone across two sittings,
autosave, and the accessibility of every page on the way."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from reviews.models import CycleState, Evidence, Perspective, SelfRating
from reviews.selfassessment.services import Answer, add_file_evidence, add_link_evidence, save_answers
from standards.models import RatingLevel
from tests.e2e.conftest import axe_violations
from tests.factories import CycleFactory, build_edition
from tests.support.reviews import criterion

pytestmark = pytest.mark.browser

FIRST_NOTE = "Community meeting minutes show members raising this and staff acting on it."
SECOND_NOTE = "We have no garden, so members use the park with staff."
SECOND_REASON = "There is no outside space on the wing."
THIRD_NOTE = "Every handover includes it."


@pytest.fixture
def cycle(personas, settings, tmp_path):
    """Kestrel Wing's cycle on a small edition: staff rate V1.1, V2.1 and V3.1 (Met, Partly met,
    Not met, Not applicable); members rate V1.2, V2.2 and V3.2."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return CycleFactory(service=personas.home, edition=build_edition(values=3, criteria_per_value=2))


def urls(live_server, cycle):
    base = f"{live_server.url}/cycles/{cycle.pk}"
    return {
        "cycle": f"{base}/",
        "hub": f"{base}/self-assessment/staff/",
        "members hub": f"{base}/self-assessment/members/",
        "step": lambda step, perspective="staff": f"{base}/self-assessment/{perspective}/step/{step}/",
        "evidence": f"{base}/evidence/",
    }


def focused_matches(page, selector):
    return page.evaluate("s => document.activeElement !== null && document.activeElement.matches(s)", selector)


def tab_to(page, selector, backwards=False, limit=60):
    """Presses Tab (or Shift+Tab) until the element matching the CSS selector has focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{key} never reached {selector}")


def press_on(page, selector, key="Enter", url=None):
    tab_to(page, selector)
    page.keyboard.press(key)
    if url:
        page.wait_for_url(url)


SAVE_AND_CONTINUE = ".answer-form__actions button:not([name])"


def sign_out(page, live_server):
    press_on(page, "header button.link-button", url=f"{live_server.url}/accounts/sign-in/")


def choose(page, name, moves):
    """Tabs into the radio group, moves down it with the arrow keys and chooses with Space."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    for _ in range(moves):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")


def test_self_assessment_completed_with_keyboard_alone_over_two_sittings(sign_in, page, live_server, personas, cycle):
    """A service lead's self-assessment over two sittings, by keyboard. It is long because it follows
    them step by step, as a person would, with the page checked at each step."""
    first, second, third = (criterion(cycle, f"V{v}.1") for v in (1, 2, 3))
    not_met, partly, met = RatingLevel.objects.filter(edition=cycle.edition).order_by("value")
    url = urls(live_server, cycle)

    # First sitting: Value 1, then half of the way, then leave.
    sign_in(personas.staff)
    page.goto(url["hub"])
    press_on(page, 'a[href$="/step/V1/"]', url=url["step"]("V1"))
    choose(page, f"V1-c{first.pk}_level", moves=1)  # Met, then down to Partly met
    expect(page.locator(f"#id_V1-c{first.pk}_level_1")).to_be_checked()
    tab_to(page, f"#id_V1-c{first.pk}_narrative")
    page.keyboard.type(FIRST_NOTE)
    press_on(page, SAVE_AND_CONTINUE, url=url["step"]("V2"))

    choose(page, f"V2-c{second.pk}_level", moves=3)  # down to Not applicable
    expect(page.locator(f"#id_V2-c{second.pk}_level_3")).to_be_checked()
    tab_to(page, f"#id_V2-c{second.pk}_narrative")
    page.keyboard.type(SECOND_NOTE)
    page.keyboard.press("Shift+Tab")
    assert focused_matches(page, f"#id_V2-c{second.pk}_na_reason")
    page.keyboard.type(SECOND_REASON)
    press_on(page, 'button[name="save_and_exit"]', key="Space", url=url["hub"])
    expect(page.locator(".notice--success")).to_contain_text("Your answers are saved")
    sign_out(page, live_server)

    # Second sitting: everything is still there; finish the last value.
    sign_in(personas.staff)
    page.goto(url["hub"])
    statuses = page.locator(".task-list__status").all_inner_texts()
    assert [s.strip() for s in statuses] == ["Completed", "Completed", "Not started"]
    press_on(page, 'a[href$="/step/V1/"]', url=url["step"]("V1"))
    expect(page.locator(f"#id_V1-c{first.pk}_level_1")).to_be_checked()
    expect(page.locator(f"#id_V1-c{first.pk}_narrative")).to_have_value(FIRST_NOTE)
    press_on(page, SAVE_AND_CONTINUE, url=url["step"]("V2"))
    expect(page.locator(f"#id_V2-c{second.pk}_level_3")).to_be_checked()
    expect(page.locator(f"#id_V2-c{second.pk}_na_reason")).to_have_value(SECOND_REASON)
    expect(page.locator(f"#id_V2-c{second.pk}_narrative")).to_have_value(SECOND_NOTE)
    press_on(page, SAVE_AND_CONTINUE, url=url["step"]("V3"))
    choose(page, f"V3-c{third.pk}_level", moves=0)  # Met
    expect(page.locator(f"#id_V3-c{third.pk}_level_0")).to_be_checked()
    tab_to(page, f"#id_V3-c{third.pk}_narrative")
    page.keyboard.type(THIRD_NOTE)
    press_on(page, SAVE_AND_CONTINUE, url=url["step"]("check"))
    expect(page.locator("main")).to_contain_text("Your service lead submits the self-assessment")
    press_on(page, 'button[name="finish"]', url=url["hub"])
    sign_out(page, live_server)

    # The service lead checks and submits.
    sign_in(personas.lead)
    page.goto(url["hub"])
    press_on(page, 'a[href$="/step/check/"]', url=url["step"]("check"))
    tab_to(page, "#id_check-confirm")
    page.keyboard.press("Space")
    expect(page.locator("#id_check-confirm")).to_be_checked()
    press_on(page, 'button[name="submit"]', url=url["cycle"])
    expect(page.locator(".notice--success")).to_contain_text("The self-assessment is submitted")
    expect(page.locator(".summary")).to_contain_text("Self-assessment submitted")

    cycle.refresh_from_db()
    assert cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED
    assert cycle.submitted_by == personas.lead
    stored = {
        r.criterion.code: (r.level_id, r.not_applicable, r.not_applicable_reason, r.narrative)
        for r in SelfRating.objects.filter(cycle=cycle, perspective=Perspective.STAFF).select_related("criterion")
    }
    assert stored == {
        "V1.1": (partly.pk, False, "", FIRST_NOTE),
        "V2.1": (None, True, SECOND_REASON, SECOND_NOTE),
        "V3.1": (met.pk, False, "", THIRD_NOTE),
    }
    assert not_met.pk not in {level for level, *_rest in stored.values()}


def test_autosave_keeps_typing_without_any_button_pressed(sign_in, page, live_server, personas, cycle, console_errors):
    first = criterion(cycle, "V1.1")
    step = urls(live_server, cycle)["step"]("V1")
    sign_in(personas.staff)
    page.goto(step)

    choose(page, f"V1-c{first.pk}_level", moves=0)
    tab_to(page, f"#id_V1-c{first.pk}_narrative")
    page.keyboard.type(FIRST_NOTE)
    # Autosave runs every 4 seconds: wait for it, pressing nothing.
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))
    page.reload()

    expect(page.locator(f"#id_V1-c{first.pk}_narrative")).to_have_value(FIRST_NOTE)
    expect(page.locator(f"#id_V1-c{first.pk}_level_0")).to_be_checked()
    assert SelfRating.objects.get(cycle=cycle, criterion=first).narrative == FIRST_NOTE
    assert console_errors == []


@pytest.fixture
def started(cycle, personas):
    """Some answers on both sides and some evidence, so every page has something to show."""
    levels = list(RatingLevel.objects.filter(edition=cycle.edition).order_by("value"))
    minutes = add_file_evidence(
        cycle=cycle, added_by=personas.staff, added_as=Perspective.STAFF,
        upload=SimpleUploadedFile("minutes.txt", b"Community meeting minutes.\n"), detected_type="text/plain",
        title="Community meeting minutes", description="Weekly, chaired by members in turn.",
    )
    add_link_evidence(
        cycle=cycle, added_by=personas.member, added_as=Perspective.MEMBERS, url="https://example.org/board",
        title="'You said, we did' board",
    )
    save_answers(
        cycle, Perspective.STAFF,
        [Answer(criterion(cycle, "V1.1").pk, level_id=levels[-1].pk, narrative=FIRST_NOTE,
                evidence_ids=frozenset({minutes.pk}))],
        personas.staff,
    )
    assert Evidence.objects.count() == 2
    return cycle


def test_self_assessment_pages_have_no_accessibility_violations(
    sign_in, page, live_server, personas, started, console_errors
):
    url = urls(live_server, started)
    problems = {}

    def check(name, address):
        page.goto(address)
        assert page.locator("h1").count() == 1, name
        found = axe_violations(page)
        if found:
            problems[name] = found

    sign_in(personas.lead)
    check("hub", url["hub"])
    check("staff step", url["step"]("V1"))
    check("check page", url["step"]("check"))
    check("evidence page", url["evidence"])
    check("cycle page", url["cycle"])
    page.context.clear_cookies()
    sign_in(personas.member)
    check("member's evidence page", url["evidence"])  # members answer the questionnaire (test_members_questionnaire.py)

    assert problems == {}
    assert console_errors == []

