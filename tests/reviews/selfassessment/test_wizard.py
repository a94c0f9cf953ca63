"""Nothing is lost: every way of leaving a step saves it first, refreshing and the back button
never duplicate or drop an answer, the page always shows what is saved, drafts may be incomplete,
and completeness is checked only when the lead submits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.errors import ReviewError
from reviews.models import CycleState, SelfRating
from reviews.selfassessment.queries import criteria_for
from reviews.selfassessment.services import Answer, save_answers
from tests.factories import SelfRatingFactory
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import MEMBERS, NA, STAFF, home_cycle
from tests.support.wizard import Step, autosave_url, hub_url, step_url, stored, stored_answers, task_list


def answer_everything(cycle, perspective, person, **fields):
    for criterion in criteria_for(cycle.edition, perspective):
        SelfRatingFactory(cycle=cycle, criterion=criterion, perspective=perspective, updated_by=person, **fields)


def submit(client, cycle, confirm=True):
    data = {f"answers-{cycle.pk}-staff-current_step": "check", "submit": ""}
    if confirm:
        data["check-confirm"] = "on"
    return client.post(step_url(cycle, STAFF, "check"), data)


def ratings_per_criterion(cycle):
    return sorted(SelfRating.objects.filter(cycle=cycle).values_list("criterion__code", "perspective"))


# --- leaving a step saves it ------------------------------------------------------------------


def test_step_save_and_go_back_saves_current_step_first(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V2")
    page.answer("V2.1", level="Partly met", narrative="Most weeks.")

    response = page.post(goto="V1")

    assert response["Location"] == step_url(cycle, STAFF, "V1")
    assert stored_answers(cycle, STAFF) == {"V2.1": ("Partly met", "", "Most weeks.", [])}


def test_step_go_back_button_offered_from_second_value_only(personas):
    cycle = home_cycle(personas)
    client = browser_for(personas.staff)

    assert "Save and go back" not in text(client.get(step_url(cycle, STAFF, "V1")))
    assert "Save and go back" in text(client.get(step_url(cycle, STAFF, "V2")))


def test_step_jump_to_another_value_saves_first(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.3", level="Met", narrative="Minutes.")

    response = page.post(goto="V4")

    assert response["Location"] == step_url(cycle, STAFF, "V4")
    assert stored(cycle, STAFF, "V1.3").narrative == "Minutes."


def test_step_jump_to_check_saves_first(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V3")
    page.answer("V3.1", level=NA, reason="No kitchen here.")

    response = page.post(goto="check")

    assert response["Location"] == step_url(cycle, STAFF, "check")
    assert stored_answers(cycle, STAFF) == {"V3.1": ("N/A", "No kitchen here.", "", [])}


def test_step_save_and_come_back_later_saves_and_goes_to_hub(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V2")
    page.answer("V2.3", level="Met", narrative="Someone showed me round.")

    response = page.post("save_and_exit", follow=True)

    assert response.redirect_chain == [(hub_url(cycle, STAFF), 302)]
    assert "Your answers are saved. You can come back to them at any time." in text(response)
    assert "1 of 2 answered" in task_list(response)[1]
    assert stored(cycle, STAFF, "V2.3").level.label == "Met"


def test_step_save_and_add_evidence_saves_first(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", narrative="The minutes will show it.")

    response = page.post("add_evidence")

    assert response["Location"].startswith(f"/cycles/{cycle.pk}/evidence/?next=")
    assert stored(cycle, STAFF, "V1.1").narrative == "The minutes will show it."


def test_step_save_and_continue_goes_to_next_value_then_check(personas):
    cycle = home_cycle(personas)
    client = browser_for(personas.staff)

    assert Step(client, cycle, STAFF, "V1").post()["Location"] == step_url(cycle, STAFF, "V2")
    assert Step(client, cycle, STAFF, "V4").post()["Location"] == step_url(cycle, STAFF, "check")


# --- refresh and back button ------------------------------------------------------------------


def test_step_sent_again_after_refresh_keeps_exactly_one_answer_each(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met", narrative="Minutes.").answer("V1.3", level=NA, reason="No garden.")

    responses = [page.post() for _ in range(3)]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert ratings_per_criterion(cycle) == [("V1.1", STAFF), ("V1.3", STAFF)]
    assert stored(cycle, STAFF, "V1.1").version == 1
    assert stored_answers(cycle, STAFF) == {
        "V1.1": ("Met", "", "Minutes.", []),
        "V1.3": ("N/A", "No garden.", "", []),
    }


def test_step_sent_again_with_reason_left_beside_a_rating_is_not_a_conflict(personas):
    """A reason typed for Not applicable and then left behind when choosing a rating is not
    stored; sending the page again must not look like someone else's change."""
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Met", reason="Typed before changing my mind.")

    first, again = page.post(), page.post()

    assert (first.status_code, again.status_code) == (302, 302)
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "", [])}
    assert stored(cycle, STAFF, "V1.1").version == 1


def test_step_back_button_shows_saved_answers_and_resending_changes_nothing(personas):
    cycle = home_cycle(personas)
    client = browser_for(personas.staff)
    Step(client, cycle, STAFF, "V1").answer("V1.1", level="Partly met", narrative="Mostly.").post()
    Step(client, cycle, STAFF, "V2").answer("V2.3", level="Met").post()

    back = Step(client, cycle, STAFF, "V1")

    assert back.data[back.key("V1.1", "narrative")] == "Mostly."
    assert back.data[back.key("V1.1", "level")] == str(stored(cycle, STAFF, "V1.1").level_id)
    assert "Mostly." in text(back.response)
    assert back.post()["Location"] == step_url(cycle, STAFF, "V2")
    assert ratings_per_criterion(cycle) == [("V1.1", STAFF), ("V2.3", STAFF)]
    assert stored(cycle, STAFF, "V1.1").version == 1


def test_step_shows_colleagues_newer_save_not_what_this_session_saw(personas):
    cycle = home_cycle(personas)
    staff = browser_for(personas.staff)
    Step(staff, cycle, STAFF, "V1").answer("V1.1", level="Partly met", narrative="Mine.").post()
    Step(staff, cycle, STAFF, "V2")  # moves on
    Step(browser_for(personas.lead), cycle, STAFF, "V1").answer("V1.1", level="Met", narrative="The lead's.").post()

    back = Step(staff, cycle, STAFF, "V1")

    page = text(back.response)
    assert "The lead's." in page and "Mine." not in page
    assert f"Last saved by {personas.lead}" in page
    assert back.data[back.key("V1.1", "version")] == 2
    assert back.post()["Location"] == step_url(cycle, STAFF, "V2")
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "The lead's.", [])}


def test_step_shows_saved_answers_after_a_page_that_did_not_save(personas):
    cycle = home_cycle(personas)
    client = browser_for(personas.staff)
    SelfRatingFactory(cycle=cycle, criterion=cycle.edition.criteria.get(code="V1.1"), narrative="Saved words.")
    page = Step(client, cycle, STAFF, "V1")
    page.answer("V1.1", narrative="Words that were never saved.")
    page.data[page.key("V1.1", "level")] = "999999"  # no such level: the page shows an error
    assert page.post().status_code == 200

    again = client.get(step_url(cycle, STAFF, "V1"))

    assert "Saved words." in text(again)
    assert "Words that were never saved." not in text(again)


# --- drafts and completeness ------------------------------------------------------------------


def test_step_empty_answers_accepted_as_draft(personas):
    cycle = home_cycle(personas)

    response = Step(browser_for(personas.staff), cycle, STAFF, "V1").post()

    assert response["Location"] == step_url(cycle, STAFF, "V2")
    assert not SelfRating.objects.filter(cycle=cycle).exists()


def test_step_incomplete_answers_kept_as_draft(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", narrative="Still thinking about the rating.").answer("V1.3", level=NA, reason="No kitchen.")

    response = page.post("save_and_exit", follow=True)

    assert stored_answers(cycle, STAFF) == {
        "V1.1": (None, "", "Still thinking about the rating.", []),
        "V1.3": ("N/A", "No kitchen.", "", []),
    }
    assert "1 of 2 answered" in task_list(response)[0]
    assert "In progress" in task_list(response)[0]


def test_step_clearing_an_answer_saves_it_cleared(personas):
    cycle = home_cycle(personas)
    client = browser_for(personas.staff)
    Step(client, cycle, STAFF, "V1").answer("V1.1", level="Met", narrative="Minutes.").post()

    Step(client, cycle, STAFF, "V1").answer("V1.1", level="", narrative="").post()

    assert stored_answers(cycle, STAFF) == {"V1.1": (None, "", "", [])}
    assert stored(cycle, STAFF, "V1.1").version == 2


def test_submit_refused_while_staff_answers_missing(personas):
    cycle = home_cycle(personas)
    Step(browser_for(personas.staff), cycle, STAFF, "V1").answer("V1.1", level="Met").post()

    response = submit(browser_for(personas.lead), cycle)

    assert response.status_code == 200
    assert "The self-assessment cannot be submitted yet: 7 answers need attention." in text(response)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN and cycle.submitted_at is None


def test_submit_refused_while_not_applicable_lacks_reason(personas):
    cycle = home_cycle(personas)
    answer_everything(cycle, STAFF, personas.staff)
    rating = stored(cycle, STAFF, "V2.1")
    rating.level, rating.not_applicable = None, True
    rating.save()

    response = submit(browser_for(personas.lead), cycle)

    assert "The self-assessment cannot be submitted yet: 1 answer needs attention." in text(response)
    assert "Not applicable, but no reason given (1) to fix before submitting V2.1" in text(response)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN


def test_submit_not_blocked_by_missing_member_answers(personas):
    cycle = home_cycle(personas)
    answer_everything(cycle, STAFF, personas.staff)

    response = submit(browser_for(personas.lead), cycle)

    assert response["Location"] == cycle.get_absolute_url()
    cycle.refresh_from_db()
    assert cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED
    assert not SelfRating.objects.filter(cycle=cycle, perspective=MEMBERS).exists()


def test_submit_needs_the_confirmation_ticked(personas):
    cycle = home_cycle(personas)
    answer_everything(cycle, STAFF, personas.staff)

    response = submit(browser_for(personas.lead), cycle, confirm=False)

    assert response.status_code == 200
    assert "Tick the box to confirm the answers are ready, then submit." in text(response)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN


def test_check_finish_for_now_goes_to_hub_and_keeps_cycle_open(personas):
    cycle = home_cycle(personas)
    answer_everything(cycle, STAFF, personas.staff)
    data = {f"answers-{cycle.pk}-staff-current_step": "check", "finish": ""}

    response = browser_for(personas.lead).post(step_url(cycle, STAFF, "check"), data, follow=True)

    assert response.redirect_chain == [(hub_url(cycle, STAFF), 302)]
    assert "Thank you. Your answers are saved." in text(response)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN


def test_check_page_warns_of_top_rating_without_evidence_but_allows_submitting(personas):
    cycle = home_cycle(personas)
    answer_everything(cycle, STAFF, personas.staff)
    client = browser_for(personas.lead)

    check = text(client.get(step_url(cycle, STAFF, "check")))
    response = submit(client, cycle)

    assert "Rated at the top level with no evidence attached (8) V1.1 V1.3 V2.1" in check
    assert "to fix before submitting" not in check
    assert response["Location"] == cycle.get_absolute_url()


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_saves_and_returns_new_versions(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", level="Partly met", narrative="Typed so far")

    response = page.autosave()

    assert response.status_code == 200
    assert response.json()["message"].startswith("Saved at ")
    c11, c13 = page.key("V1.1", "version"), page.key("V1.3", "version")
    assert response.json()["versions"] == {c11: 1, c13: 0}
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Partly met", "", "Typed so far", [])}


def test_autosave_repeated_then_saved_keeps_one_answer(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    page.answer("V1.1", narrative="Typed so far")
    # The page's script puts the returned versions into the form, as the browser would.
    page.data.update(page.autosave().json()["versions"])
    page.answer("V1.1", narrative="Typed so far, and more")
    page.data.update(page.autosave().json()["versions"])
    page.answer("V1.1", level="Met")
    page.data.update(page.autosave().json()["versions"])

    response = page.post()

    assert response["Location"] == step_url(cycle, STAFF, "V2")
    assert ratings_per_criterion(cycle) == [("V1.1", STAFF)]
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "Typed so far, and more", [])}


def test_autosave_of_check_step_refused(personas):
    cycle = home_cycle(personas)

    response = browser_for(personas.staff).post(autosave_url(cycle, STAFF, "check"), {})

    assert response.status_code == 400
    assert response.json()["message"] == "That page of the self-assessment does not exist."


def test_members_cannot_save_self_assessment_answers(personas):
    cycle = home_cycle(personas)
    answer = Answer(cycle.edition.criteria.get(code="V1.2").pk, level_id=None, not_applicable=True, narrative="x")

    with pytest.raises(ReviewError, match="members' questionnaire"):
        save_answers(cycle, MEMBERS, [answer], personas.member)

    assert not SelfRating.objects.exists()


def test_moving_between_steps_and_saving_never_rewrites_the_session(personas):
    cycle = home_cycle(personas)
    client = browser_for(personas.staff)
    client.get(step_url(cycle, STAFF, "V1"))  # the wizard's first visit sets up its storage

    with CaptureQueriesContext(connection) as queries:
        Step(client, cycle, STAFF, "V2").answer("V2.1", level="Met").post()
        client.get(step_url(cycle, STAFF, "V1"))

    assert stored(cycle, STAFF, "V2.1").level.label == "Met"
    assert not [query for query in queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]]
