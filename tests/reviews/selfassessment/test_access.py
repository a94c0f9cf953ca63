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
    "staff answers": lambda cycle: answers_url(cycle, STAFF),
    "staff step": lambda cycle: step_url(cycle, STAFF, "V1"),
    "staff check": lambda cycle: step_url(cycle, STAFF, "check"),
}
# The members' self-assessment is gone (members answer the questionnaire): its old addresses.
OLD_MEMBERS_PAGES = {
    "members hub": lambda cycle: hub_url(cycle, MEMBERS),
    "members answers": lambda cycle: answers_url(cycle, MEMBERS),
    "members step": lambda cycle: step_url(cycle, MEMBERS, "V1"),
    "members check": lambda cycle: step_url(cycle, MEMBERS, "check"),
    "members autosave": lambda cycle: autosave_url(cycle, MEMBERS, "V1"),
}

# While the self-assessment is open: who gets each page (everyone else: 404).
WHILE_OPEN = {
    "cycle": {"admin", "lead", "staff", "member", "commissioner"} | ON_TEAM,
    "staff hub": {"admin"} | WORKS_THERE,
    "staff answers": {"admin"} | WORKS_THERE,
    "staff step": WORKS_THERE,
    "staff check": WORKS_THERE,
}

# Once submitted: 200 for readers; the steps send everyone who may read them to the hub (302).
ONCE_SUBMITTED = {
    "cycle": ({"admin", "lead", "staff", "member", "commissioner"} | ON_TEAM, set()),
    "staff hub": ({"admin"} | WORKS_THERE | ON_TEAM, set()),
    "staff answers": ({"admin"} | WORKS_THERE | ON_TEAM, set()),
    "staff step": (set(), {"admin"} | WORKS_THERE | ON_TEAM),
    "staff check": (set(), {"admin"} | WORKS_THERE | ON_TEAM),
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
        assert response["Location"] == hub_url(cycle, STAFF)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("submitted", [False, True])
@pytest.mark.parametrize(("persona", "view"), [(p, v) for v in OLD_MEMBERS_PAGES for p in PERSONA_NAMES])
def test_old_members_addresses_lead_members_to_the_questionnaire(personas, persona, view, submitted):
    cycle = reviewed_cycle(personas, submitted=submitted)

    response = browser_for(getattr(personas, persona)).get(OLD_MEMBERS_PAGES[view](cycle))

    if persona == "member":
        assert response["Location"] == reverse("reviews:questionnaire", args=[cycle.pk])
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("view", [*PAGES, *OLD_MEMBERS_PAGES])
def test_page_access_anonymous_sent_to_sign_in(personas, client, view):
    url = {**PAGES, **OLD_MEMBERS_PAGES}[view](reviewed_cycle(personas))

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
def test_nobody_answers_the_self_assessment_as_members(personas, persona):
    cycle = reviewed_cycle(personas)

    posted, autosaved = post_answer(browser_for(getattr(personas, persona)), cycle, MEMBERS)

    expected = 302 if persona == "member" else 404  # a member is sent to the questionnaire
    assert (posted.status_code, autosaved.status_code) == (expected, expected)
    assert stored_answers(cycle, MEMBERS) == {}


def test_members_never_see_staff_answers(personas):
    cycle = reviewed_cycle(personas)
    client = browser_for(personas.member)

    pages = [text(client.get(url, follow=True)) for url in (
        cycle.get_absolute_url(), hub_url(cycle, MEMBERS), reverse("reviews:questionnaire", args=[cycle.pk]),
    )]

    for page in pages:
        assert "Staff words." not in page
        assert "Staff answers" not in page
        assert "The staff answers" not in page


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
    assert "Staff words." in text(after)
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

    assert "Submit the self-assessment" in lead_page
    assert "Submit the self-assessment" not in staff_page
    assert "Your service lead submits the self-assessment when everyone has finished." in staff_page


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
