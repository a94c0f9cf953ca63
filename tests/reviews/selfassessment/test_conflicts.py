"""Two people editing the same value at once: the later save never silently overwrites the earlier
one. The second person sees the other's answer and chooses which to keep."""

from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import STAFF, home_cycle
from tests.support.wizard import Step, step_url, stored, stored_answers


def two_people_on_the_same_page(personas, step="V1"):
    """The lead and a member of staff both open the same value before either saves."""
    cycle = home_cycle(personas)
    lead = Step(browser_for(personas.lead), cycle, STAFF, step)
    staff = Step(browser_for(personas.staff), cycle, STAFF, step)
    return cycle, lead, staff


def test_conflict_later_save_keeps_earlier_answer_and_shows_both(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", level="Not met", narrative="The staff member's words.")

    response = staff.post()

    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved some of these answers while you were working." in page
    assert f"{personas.lead} changed this answer at" in page
    assert "Their answer Met The lead's words." in page
    assert "Keep their answer" in page and "Save my answer instead" in page
    assert "The staff member's words." in page  # still in the fields, nothing lost
    html = response.content.decode()
    assert f'name="{staff.key("V1.1", "theirs")}" value="1"' in html  # the version of their answer
    assert f'name="{staff.key("V1.1", "version")}" value="0"' in html  # the version this person started from
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "The lead's words.", [])}
    assert stored(cycle, STAFF, "V1.1").updated_by == personas.lead


def test_conflict_keep_their_answer_keeps_it(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", level="Not met", narrative="The staff member's words.").post()

    response = staff.answer("V1.1", resolution="theirs").post()

    assert response["Location"] == step_url(cycle, STAFF, "V2")
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "The lead's words.", [])}
    rating = stored(cycle, STAFF, "V1.1")
    assert (rating.version, rating.updated_by) == (1, personas.lead)


def test_conflict_save_my_answer_replaces_theirs(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", level="Not met", narrative="The staff member's words.").post()

    response = staff.answer("V1.1", resolution="mine").post()

    assert response["Location"] == step_url(cycle, STAFF, "V2")
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Not met", "", "The staff member's words.", [])}
    rating = stored(cycle, STAFF, "V1.1")
    assert (rating.version, rating.updated_by) == (2, personas.staff)


def test_conflict_saving_again_without_choosing_overwrites_nothing(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", level="Not met", narrative="The staff member's words.").post()

    response = staff.post()

    assert response.status_code == 200
    assert "Which answer should be kept for V1.1: choose whether to keep their answer or save yours." in text(response)
    assert "Their answer Met The lead's words." in text(response)
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "The lead's words.", [])}


def test_conflict_with_a_third_save_while_choosing_asks_again(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", level="Not met", narrative="The staff member's words.").post()
    Step(browser_for(personas.lead), cycle, STAFF, "V1").answer("V1.1", narrative="The lead, again.").post()

    response = staff.answer("V1.1", resolution="mine").post()

    assert response.status_code == 200
    assert "Their answer Met The lead, again." in text(response)
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "The lead, again.", [])}
    assert staff.answer("V1.1", resolution="mine").post().status_code == 302
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Not met", "", "The staff member's words.", [])}


def test_conflict_identical_answers_are_no_conflict(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="Minutes.").post()

    response = staff.answer("V1.1", level="Met", narrative="Minutes.").post()

    assert response["Location"] == step_url(cycle, STAFF, "V2")
    rating = stored(cycle, STAFF, "V1.1")
    assert (rating.version, rating.updated_by) == (1, personas.lead)


def test_conflict_only_holds_back_the_answer_both_changed(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", level="Not met").answer("V1.3", level="Partly met", narrative="Mine alone.")

    conflict = staff.post()
    kept = staff.answer("V1.1", resolution="theirs").post()

    assert conflict.status_code == 200
    assert kept["Location"] == step_url(cycle, STAFF, "V2")
    assert stored_answers(cycle, STAFF) == {
        "V1.1": ("Met", "", "The lead's words.", []),
        "V1.3": ("Partly met", "", "Mine alone.", []),
    }
    assert stored(cycle, STAFF, "V1.3").version == 1


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_conflict_answers_409_and_overwrites_nothing(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", narrative="Typing over it").answer("V1.3", narrative="Not in conflict")

    response = staff.autosave()

    assert response.status_code == 409
    body = response.json()
    assert body["conflicts"] is True
    assert body["message"] == (
        "Someone else has just changed V1.1. Press Save and continue to see both answers and choose."
    )
    assert body["versions"] == {staff.key("V1.3", "version"): 1}
    assert stored_answers(cycle, STAFF) == {
        "V1.1": ("Met", "", "The lead's words.", []),
        "V1.3": (None, "", "Not in conflict", []),
    }


def test_autosave_conflict_then_save_and_continue_shows_both_answers(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", narrative="Typing over it")
    staff.data.update(staff.autosave().json()["versions"])  # as the page's script does
    staff.data.update(staff.answer("V1.1", narrative="Typing over it, still").autosave().json()["versions"])

    response = staff.post()

    assert response.status_code == 200
    assert "Their answer Met The lead's words." in text(response)
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Met", "", "The lead's words.", [])}


def test_autosave_identical_answer_is_no_conflict(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="Minutes.").post()

    response = staff.answer("V1.1", level="Met", narrative="Minutes.").autosave()

    assert response.status_code == 200
    assert response.json()["versions"][staff.key("V1.1", "version")] == 1
    assert stored(cycle, STAFF, "V1.1").updated_by == personas.lead


def test_conflict_choice_saved_by_autosave_then_by_the_button(personas):
    cycle, lead, staff = two_people_on_the_same_page(personas)
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", level="Not met", narrative="The staff member's words.").post()
    staff.answer("V1.1", resolution="mine")

    autosaved = staff.autosave()
    staff.data.update(autosaved.json()["versions"])  # as the page's script does
    response = staff.post()

    assert autosaved.status_code == 200
    assert response["Location"] == step_url(cycle, STAFF, "V2")
    assert stored_answers(cycle, STAFF) == {"V1.1": ("Not met", "", "The staff member's words.", [])}
    assert stored(cycle, STAFF, "V1.1").version == 2
