"""Who reaches what in a review cycle, persona by persona: a 404 for whatever is beyond reach,
so that nobody learns what exists."""

import pytest
from django.urls import reverse

from reviews.models import Cycle, CycleEvent, CycleState
from tests.factories import SelfRatingFactory
from tests.support.pages import text
from tests.support.personas import PERSONA_NAMES, browser_for
from tests.support.reviews import MEMBERS, STAFF
from tests.support.wizard import (
    answers_url,
    autosave_url,
    current_step_key,
    hub_url,
    reviewed_cycle,
    step_url,
    stored_answers,
)

ON_TEAM = {"reviewer", "lived_experience_reviewer"}  # the lead reviewer is on no team here
WORKS_THERE = {"lead", "staff"}

PAGES = {
    "cycle": lambda cycle: cycle.get_absolute_url(),
    "staff hub": lambda cycle: hub_url(cycle, STAFF),
    "members hub": lambda cycle: hub_url(cycle, MEMBERS),
    "staff answers": lambda cycle: answers_url(cycle, STAFF),
    "members answers": lambda cycle: answers_url(cycle, MEMBERS),
    "staff step": lambda cycle: step_url(cycle, STAFF, "V1"),
    "members step": lambda cycle: step_url(cycle, MEMBERS, "V1"),
    "staff check": lambda cycle: step_url(cycle, STAFF, "check"),
    "members check": lambda cycle: step_url(cycle, MEMBERS, "check"),
}

# While the self-assessment is open: who gets each page (everyone else: 404).
WHILE_OPEN = {
    "cycle": {"admin", "lead", "staff", "member", "commissioner"} | ON_TEAM,
    "staff hub": {"admin"} | WORKS_THERE,
    "members hub": {"admin", "member"} | WORKS_THERE,
    "staff answers": {"admin"} | WORKS_THERE,
    "members answers": {"admin", "member"} | WORKS_THERE,
    "staff step": WORKS_THERE,
    "members step": {"member"},
    "staff check": WORKS_THERE,
    "members check": {"member"},
}

# Once submitted: 200 for readers; the steps send everyone who may read them to the hub (302).
ONCE_SUBMITTED = {
    "cycle": ({"admin", "lead", "staff", "member", "commissioner"} | ON_TEAM, set()),
    "staff hub": ({"admin"} | WORKS_THERE | ON_TEAM, set()),
    "members hub": ({"admin", "member"} | WORKS_THERE | ON_TEAM, set()),
    "staff answers": ({"admin"} | WORKS_THERE | ON_TEAM, set()),
    "members answers": ({"admin", "member"} | WORKS_THERE | ON_TEAM, set()),
    "staff step": (set(), {"admin"} | WORKS_THERE | ON_TEAM),
    "members step": (set(), {"admin", "member"} | WORKS_THERE | ON_TEAM),
    "staff check": (set(), {"admin"} | WORKS_THERE | ON_TEAM),
    "members check": (set(), {"admin", "member"} | WORKS_THERE | ON_TEAM),
}


@pytest.mark.parametrize(
    ("persona", "view"), [(persona, view) for view in PAGES for persona in PERSONA_NAMES]
)
def test_page_access_while_self_assessment_open(personas, persona, view):
    cycle = reviewed_cycle(personas)

    response = browser_for(getattr(personas, persona)).get(PAGES[view](cycle))

    assert response.status_code == (200 if persona in WHILE_OPEN[view] else 404)


@pytest.mark.parametrize(
    ("persona", "view"), [(persona, view) for view in PAGES for persona in PERSONA_NAMES]
)
def test_page_access_once_self_assessment_submitted(personas, persona, view):
    cycle = reviewed_cycle(personas, submitted=True)
    readers, sent_to_hub = ONCE_SUBMITTED[view]

    response = browser_for(getattr(personas, persona)).get(PAGES[view](cycle))

    if persona in readers:
        assert response.status_code == 200
    elif persona in sent_to_hub:
        perspective = STAFF if view.startswith("staff") else MEMBERS
        assert response["Location"] == hub_url(cycle, perspective)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("view", PAGES)
def test_page_access_anonymous_sent_to_sign_in(personas, client, view):
    url = PAGES[view](reviewed_cycle(personas))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={url}"


# --- changing answers -------------------------------------------------------------------------


def post_answer(client, cycle, perspective):
    """Sends V2.3 as Not applicable, by the step and by autosave, as the step's page would."""
    criterion = cycle.edition.criteria.get(code="V2.3")
    data = {
        current_step_key(cycle, perspective): "V2",
        f"V2-c{criterion.pk}_level": "na",
        f"V2-c{criterion.pk}_na_reason": "Changed by someone.",
        f"V2-c{criterion.pk}_version": "0",
    }
    return client.post(step_url(cycle, perspective, "V2"), data), client.post(
        autosave_url(cycle, perspective, "V2"), data
    )


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_staff_answers_changed_only_by_lead_and_staff(personas, persona):
    cycle = reviewed_cycle(personas)
    before = stored_answers(cycle, STAFF)

    posted, autosaved = post_answer(browser_for(getattr(personas, persona)), cycle, STAFF)

    if persona in WORKS_THERE:
        assert (posted.status_code, autosaved.status_code) == (302, 200)
        assert stored_answers(cycle, STAFF)["V2.3"][:2] == ("N/A", "Changed by someone.")
    else:
        assert (posted.status_code, autosaved.status_code) == (404, 404)
        assert stored_answers(cycle, STAFF) == before


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_members_answers_changed_only_by_members(personas, persona):
    cycle = reviewed_cycle(personas)
    before = stored_answers(cycle, MEMBERS)

    posted, autosaved = post_answer(browser_for(getattr(personas, persona)), cycle, MEMBERS)

    if persona == "member":
        assert (posted.status_code, autosaved.status_code) == (302, 200)
        assert stored_answers(cycle, MEMBERS)["V2.3"][:2] == ("N/A", "Changed by someone.")
    else:
        assert (posted.status_code, autosaved.status_code) == (404, 404)
        assert stored_answers(cycle, MEMBERS) == before


def test_members_never_see_staff_answers(personas):
    cycle = reviewed_cycle(personas)
    client = browser_for(personas.member)

    pages = [text(client.get(url)) for url in (
        cycle.get_absolute_url(), hub_url(cycle, MEMBERS), answers_url(cycle, MEMBERS),
        step_url(cycle, MEMBERS, "V1"), step_url(cycle, MEMBERS, "check"),
    )]

    assert any("Our words." in page for page in pages)
    for page in pages:
        assert "Staff words." not in page
        assert "Staff answers" not in page
        assert "The staff answers" not in page


def test_staff_see_members_answers_beside_their_own(personas):
    cycle = reviewed_cycle(personas)

    page = text(browser_for(personas.staff).get(answers_url(cycle, STAFF)))

    assert "Staff words." in page and "Our words." in page


def test_review_team_reads_answers_only_once_submitted(personas):
    cycle = reviewed_cycle(personas)
    client = browser_for(personas.reviewer)
    before = [client.get(url).status_code for url in (hub_url(cycle, STAFF), answers_url(cycle, STAFF))]
    cycle_page_before = text(client.get(cycle.get_absolute_url()))
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.SELF_ASSESSMENT_SUBMITTED)

    after = client.get(answers_url(cycle, STAFF))

    assert before == [404, 404]
    assert "Staff words." not in cycle_page_before and "Read every answer" not in cycle_page_before
    assert after.status_code == 200
    assert "Staff words." in text(after) and "Our words." in text(after)
    assert "Read every answer" in text(client.get(cycle.get_absolute_url()))


# --- submitting and reopening ---------------------------------------------------------------------


def submit_data(cycle):
    return {current_step_key(cycle, STAFF): "check", "submit": "", "check-confirm": "on"}


def answer_all_staff_criteria(cycle):
    for criterion in cycle.edition.criteria.filter(rated_by__in=["staff", "both"]).exclude(code="V1.1"):
        SelfRatingFactory(cycle=cycle, criterion=criterion)


def test_submit_offered_to_lead_only(personas):
    cycle = reviewed_cycle(personas)

    lead_page = text(browser_for(personas.lead).get(step_url(cycle, STAFF, "check")))
    staff_page = text(browser_for(personas.staff).get(step_url(cycle, STAFF, "check")))
    member_page = text(browser_for(personas.member).get(step_url(cycle, MEMBERS, "check")))

    assert "Submit the self-assessment" in lead_page
    assert "Submit the self-assessment" not in staff_page
    assert "Your service lead submits the self-assessment when everyone has finished." in staff_page
    assert "Submit the self-assessment" not in member_page and "I have finished for now" in member_page


@pytest.mark.parametrize("persona", sorted(set(PERSONA_NAMES) - {"lead"}))
def test_submit_by_anyone_but_the_lead_does_not_submit(personas, persona):
    cycle = reviewed_cycle(personas)
    answer_all_staff_criteria(cycle)

    response = browser_for(getattr(personas, persona)).post(step_url(cycle, STAFF, "check"), submit_data(cycle))

    if persona == "staff":
        assert response["Location"] == hub_url(cycle, STAFF)
    else:
        assert response.status_code == 404
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.OPEN


def test_submit_by_the_lead_submits(personas):
    cycle = reviewed_cycle(personas)
    answer_all_staff_criteria(cycle)

    response = browser_for(personas.lead).post(step_url(cycle, STAFF, "check"), submit_data(cycle))

    assert response["Location"] == cycle.get_absolute_url()
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.SELF_ASSESSMENT_SUBMITTED


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_reopen_by_admin_only(personas, persona):
    cycle = reviewed_cycle(personas, submitted=True)

    response = browser_for(getattr(personas, persona)).post(
        reverse("reviews:cycle-reopen", args=[cycle.pk]), {"reason": "Please add more."}
    )

    state = Cycle.objects.get(pk=cycle.pk).state
    if persona == "admin":
        assert response["Location"] == cycle.get_absolute_url()
        assert state == CycleState.OPEN
    else:
        assert response.status_code == 404
        assert state == CycleState.SELF_ASSESSMENT_SUBMITTED
        assert not CycleEvent.objects.filter(cycle=cycle).exists()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_reopen_form_shown_to_admin_only(personas, persona):
    cycle = reviewed_cycle(personas, submitted=True)

    response = browser_for(getattr(personas, persona)).get(cycle.get_absolute_url())

    if response.status_code == 200:
        assert ("Reopen the self-assessment" in text(response)) == (persona == "admin")


def test_reopen_of_open_self_assessment_refused(personas):
    cycle = reviewed_cycle(personas)

    response = browser_for(personas.admin).post(
        reverse("reviews:cycle-reopen", args=[cycle.pk]), {"reason": "By mistake."}
    )

    assert response.status_code == 404
    assert not CycleEvent.objects.filter(cycle=cycle).exists()
