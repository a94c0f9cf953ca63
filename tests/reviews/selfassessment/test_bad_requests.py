"""Requests no page would send: each gets a clear answer, and none of them changes anything."""

import pytest
from django.urls import reverse

from reviews.models import SelfRating
from tests.factories import CriterionFactory, CycleFactory, EvidenceFactory, ValueFactory, build_edition
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import MEMBERS, STAFF, home_cycle
from tests.support.wizard import Step, answers_url, autosave_url, current_step_key, hub_url, step_url

NOT_PART_OF_PAGE = "The answers sent include a criterion that is not part of this page. Nothing was saved."


def nothing_saved(cycle):
    return not SelfRating.objects.filter(cycle=cycle).exists()


# --- steps ------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["V99", "finished", "check2", "", "../V1"])
def test_step_tampered_step_name_answers_400_and_saves_nothing(personas, step):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met")
    page.data[current_step_key(cycle, STAFF)] = step

    response = page.post()

    assert response.status_code == 400
    assert "That page of the self-assessment does not exist. Nothing was saved." in text(response)
    assert f'href="{hub_url(cycle, STAFF)}"' in response.content.decode()
    assert nothing_saved(cycle)


def test_step_without_its_step_name_answers_400(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met")
    del page.data[current_step_key(cycle, STAFF)]

    response = page.post()

    assert response.status_code == 400
    assert nothing_saved(cycle)


def test_step_unknown_step_in_address_leads_to_first_value(personas):
    cycle = home_cycle(personas)

    response = browser_for(personas.staff).get(step_url(cycle, STAFF, "V99"))

    assert response["Location"] == step_url(cycle, STAFF, "V1")


@pytest.mark.parametrize(
    "stranger",
    [
        pytest.param(lambda cycle: CriterionFactory(rated_by="staff"), id="another-edition"),
        pytest.param(lambda cycle: cycle.edition.criteria.get(code="V2.1"), id="another-value"),
        pytest.param(lambda cycle: cycle.edition.criteria.get(code="V1.2"), id="rated-by-members-only"),
    ],
)
def test_step_criterion_not_on_the_page_refused_and_nothing_saved(personas, stranger):
    cycle = home_cycle(personas)
    criterion = stranger(cycle)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met", narrative="A real answer.")
    page.data[f"V1-c{criterion.pk}_level"] = "na"
    page.data[f"V1-c{criterion.pk}_na_reason"] = "Slipped in."

    response = page.post()

    assert response.status_code == 200
    assert NOT_PART_OF_PAGE in text(response)
    assert nothing_saved(cycle)


@pytest.mark.parametrize(
    "level",
    [
        pytest.param(lambda cycle: "999999", id="no-such-level"),
        pytest.param(lambda cycle: str(build_edition(values=1).levels.last().pk), id="another-editions-level"),
        pytest.param(lambda cycle: "Met", id="not-a-number"),
    ],
)
def test_step_unknown_level_refused_with_field_error(personas, level):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.3", level="Met")
    page.data[page.key("V1.1", "level")] = level(cycle)

    response = page.post()

    assert response.status_code == 200
    # in the summary and at the field, naming the criterion
    assert text(response).count("Rating for V1.1: choose one of the answers shown.") == 2
    assert "field--error" in response.content.decode()
    assert nothing_saved(cycle)


def test_step_evidence_of_another_cycle_refused(personas):
    cycle = home_cycle(personas)
    elsewhere = EvidenceFactory(cycle=CycleFactory(service=personas.other), title="Elm House minutes")
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met", evidence=[elsewhere])

    response = page.post()

    assert response.status_code == 200
    assert "Evidence that supports it for V1.1: that evidence item is not part of this self-assessment." in text(response)
    assert "Elm House minutes" not in text(response)
    assert nothing_saved(cycle)


@pytest.mark.parametrize("version", ["-1", "abc"])
def test_step_tampered_version_saves_nothing(personas, version):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met")
    page.data[page.key("V1.1", "version")] = version

    response = page.post()

    assert response.status_code == 200
    assert "There is a problem" in text(response)
    assert nothing_saved(cycle)


# --- whose cycle, whose perspective -----------------------------------------------------------


def other_services_cycle(personas):
    return CycleFactory(service=personas.other, edition=build_edition(values=2, criteria_per_value=3))


@pytest.mark.parametrize("perspective", [STAFF, MEMBERS])
def test_another_services_cycle_not_found(personas, perspective):
    cycle = other_services_cycle(personas)
    person = personas.lead if perspective == STAFF else personas.member
    client = browser_for(person)
    data = {current_step_key(cycle, perspective): "V1", f"V1-c{cycle.edition.criteria.get(code='V1.3').pk}_level": "na"}

    responses = [
        client.get(step_url(cycle, perspective, "V1")),
        client.post(step_url(cycle, perspective, "V1"), data),
        client.post(autosave_url(cycle, perspective, "V1"), data),
        client.get(hub_url(cycle, perspective)),
        client.get(answers_url(cycle, perspective)),
        client.get(cycle.get_absolute_url()),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    assert nothing_saved(cycle)


def test_no_such_cycle_not_found(personas):
    response = browser_for(personas.lead).get(step_url(home_cycle(personas), STAFF, "V1").replace("/cycles/", "/cycles/9"))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "perspective"),
    [("member", STAFF), ("staff", MEMBERS), ("lead", MEMBERS)],
    ids=["member-to-staff", "staff-to-members", "lead-to-members"],
)
def test_perspective_tampering_not_found_and_saves_nothing(personas, persona, perspective):
    cycle = home_cycle(personas)
    client = browser_for(getattr(personas, persona))
    data = {current_step_key(cycle, perspective): "V1", f"V1-c{cycle.edition.criteria.get(code='V1.3').pk}_level": "na"}

    responses = [
        client.get(step_url(cycle, perspective, "V1")),
        client.post(step_url(cycle, perspective, "V1"), data),
        client.post(autosave_url(cycle, perspective, "V1"), data),
        client.get(step_url(cycle, perspective, "check")),
    ]

    assert [r.status_code for r in responses] == [404] * 4
    assert nothing_saved(cycle)


def edition_with_a_members_only_value():
    edition = build_edition(values=2, criteria_per_value=3)
    value = ValueFactory(edition=edition, code="MV", order=3, name="Living here")
    CriterionFactory(value=value, code="MV.1", rated_by="members")
    return edition


def test_step_of_the_other_perspective_refused(personas):
    cycle = home_cycle(personas, edition=edition_with_a_members_only_value())
    client = browser_for(personas.staff)
    criterion = cycle.edition.criteria.get(code="MV.1")
    data = {current_step_key(cycle, STAFF): "MV", f"MV-c{criterion.pk}_level": "na", f"MV-c{criterion.pk}_na_reason": "x"}

    posted = client.post(step_url(cycle, STAFF, "MV"), data)
    autosaved = client.post(autosave_url(cycle, STAFF, "MV"), data)
    opened = client.get(step_url(cycle, STAFF, "MV"))

    assert posted.status_code == 400
    assert "That page of the self-assessment does not exist. Nothing was saved." in text(posted)
    assert autosaved.status_code == 400
    assert autosaved.json()["message"] == "That page of the self-assessment does not exist."
    assert opened["Location"] == step_url(cycle, STAFF, "V1")
    assert nothing_saved(cycle)
    member_opens = browser_for(personas.member).get(step_url(cycle, MEMBERS, "MV"))
    assert member_opens["Location"] == reverse("reviews:questionnaire", args=[cycle.pk])  # members answer there


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_unknown_level_refused_and_saves_nothing(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.3", level="Met")
    page.data[page.key("V1.1", "level")] = "999999"

    response = page.autosave()

    assert response.status_code == 400
    assert response.json()["message"] == (
        "Not saved: some answers need correcting. Press Save and continue to see where."
    )
    assert nothing_saved(cycle)


def test_autosave_criterion_not_on_the_page_refused(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met")
    page.data[f"V1-c{cycle.edition.criteria.get(code='V2.1').pk}_level"] = "na"

    response = page.autosave()

    assert response.status_code == 400
    assert nothing_saved(cycle)


def test_autosave_only_by_post(personas):
    cycle = home_cycle(personas)

    response = browser_for(personas.staff).get(autosave_url(cycle, STAFF, "V1"))

    assert response.status_code == 405


def test_version_ahead_of_what_is_stored_overwrites_nothing(personas):
    """A version no save ever gave out: treated as someone else's change, never as a crash."""
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met")
    page.data[page.key("V1.1", "version")] = "7"

    autosaved = page.autosave()
    posted = page.post()

    assert autosaved.status_code == 409
    assert "V1.1" in autosaved.json()["message"]
    assert posted.status_code == 200
    assert "Someone else saved some of these answers while you were working." in text(posted)
    assert nothing_saved(cycle)
