"""Not applicable needs its reason: saving a page without one is refused next to the reason field,
naming the criterion and keeping what was typed; the autosave keeps the draft while the person is
still typing; a refused submission links each answer to fix to its field on its value's page."""

import re

from reviews.models import CycleState
from tests.factories import SelfRatingFactory
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import NA, STAFF, criterion, home_cycle
from tests.support.wizard import Step, step_url, stored, stored_answers


def error_summary(response):
    html = response.content.decode()
    summary = html[html.index('class="error-summary"'):]
    summary = summary[: summary.index("</div>")]
    return [(href, re.sub(r"\s+", " ", words).strip())
            for href, words in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary, re.S)]


def test_saving_not_applicable_without_a_reason_is_refused_next_to_the_reason(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met", narrative="Minutes.").answer("V1.3", level=NA, narrative="No kitchen at all.")

    response = page.post()

    assert response.status_code == 200
    reason_id = f"id_V1-c{criterion(cycle, 'V1.3').pk}_na_reason"
    message = "V1.3: say why this criterion does not apply to your service."
    assert error_summary(response) == [(f"#{reason_id}", message)]
    html = response.content.decode()
    assert f'id="{reason_id}_error"' in html and message in html[html.index(f'id="{reason_id}_error"'):][:300]
    assert f'id="{reason_id}"' in html
    # What was typed is still there, and nothing was saved by the refused press.
    assert "No kitchen at all." in html and "Minutes." in html
    assert page.data[page.key("V1.3", "level")] == NA
    assert stored_answers(cycle, STAFF) == {}


def test_with_a_reason_it_saves(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.3", level=NA, reason="We have no kitchen.")

    assert page.post()["Location"] == step_url(cycle, STAFF, "V2")
    assert stored_answers(cycle, STAFF) == {"V1.3": ("N/A", "We have no kitchen.", "", [])}


def test_the_autosave_keeps_the_draft_while_the_reason_is_still_being_typed(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met").answer("V1.3", level=NA)

    assert page.autosave().status_code == 200
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "", []), "V1.3": ("N/A", "", "", [])}
    # The check page still lists it, and submitting is refused (below).
    check = text(browser_for(personas.lead).get(step_url(cycle, STAFF, "check")))
    assert "Not applicable, but no reason given (1) to fix before submitting V1.3" in check


def test_keeping_their_answer_in_a_conflict_needs_no_reason_of_mine(personas):
    cycle = home_cycle(personas)
    lead, staff = (Step(browser_for(p), cycle, STAFF, "V1") for p in (personas.lead, personas.staff))
    lead.answer("V1.3", level="Met").post()
    staff.answer("V1.3", level=NA).post()  # refused: no reason
    staff.answer("V1.3", reason="None here.").post()  # now a conflict with the lead's answer
    assert "Which answer should be kept" in text(staff.response)

    staff.answer("V1.3", resolution="theirs", reason="").post()

    assert stored_answers(cycle, STAFF)["V1.3"][0] == "Met"


def test_a_refused_submission_links_each_answer_to_fix_to_its_field(personas):
    cycle = home_cycle(personas)
    staff = browser_for(personas.staff)
    for code in ("V1.1", "V1.3", "V2.1", "V2.3", "V3.1", "V3.3", "V4.1"):
        SelfRatingFactory(cycle=cycle, criterion=criterion(cycle, code), perspective=STAFF, updated_by=personas.staff)
    no_reason = stored(cycle, STAFF, "V2.3")
    no_reason.level, no_reason.not_applicable, no_reason.not_applicable_reason = None, True, ""
    no_reason.save()
    lead = browser_for(personas.lead)

    response = lead.post(step_url(cycle, STAFF, "check"),
                         {f"answers-{cycle.pk}-staff-current_step": "check", "submit": "", "check-confirm": "on"})

    assert response.status_code == 200
    assert "The self-assessment cannot be submitted yet: 2 answers need attention." in text(response)
    assert text(response).startswith("Skip to main content") and "<title>Error:" in response.content.decode()
    entries = error_summary(response)
    assert entries == [
        (f"{step_url(cycle, STAFF, 'V2')}#id_V2-c{criterion(cycle, 'V2.3').pk}_na_reason", "V2.3: say why it does not apply"),
        (f"{step_url(cycle, STAFF, 'V4')}#id_V4-c{criterion(cycle, 'V4.3').pk}_level", "V4.3 is not answered yet"),
    ]
    for href, _words in entries:
        url, fragment = href.split("#")
        assert f'id="{fragment}"' in staff.get(url).content.decode(), href
    assert not any(href.endswith("confirm") for href, _ in entries)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN
