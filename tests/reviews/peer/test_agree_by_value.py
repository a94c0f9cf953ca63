"""Agreeing one value at a time: the lead reviewer sees every view of each of a value's criteria
and records the team's ratings on one page, with a rationale wherever the agreed rating differs
from the reviewers' median, the members' view or the service's own rating."""

import re

import pytest

from reviews.members.models import Channel
from reviews.models import AgreedRating, CycleState
from reviews.peer.services import rationale_needed
from tests.factories import CycleFactory, build_edition
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import NA, PeerReview, criterion, level

SAVE_AND_NEXT = {"save_and_next": ""}


def reviewed(personas, edition=None, **ratings):
    """The home service's review under way, the three reviewers having rated and submitted: Met
    everywhere, except each code given as a (reviewer, lived-experience reviewer, lead) triple."""
    review = PeerReview(personas, edition=edition).to(CycleState.VISIT)
    people = (personas.reviewer, personas.lived_experience_reviewer, personas.lead_reviewer)
    for index, person in enumerate(people):
        review.rate_everything(person, **{code: choices[index] for code, choices in ratings.items()})
    return review


def value_one(personas):
    """Value 1 with the views side by side:

    V1.1 (staff)   staff Met                        reviewers Met, Met, Met                 unanimous
    V1.2 (members) a members' meeting: Yes (Met)     reviewers Partly met ×3                 unanimous
    V1.3 (both)    staff Partly met, six members Yes (Met)  reviewers Met, Partly met, Not met   median Partly met
    """
    review = PeerReview(personas)
    review.self_rate("V1.1", "Met")
    review.self_rate("V1.3", "Partly met")
    review.members_answer("V1.2", "yes", channel=Channel.GROUP, group_size=7)
    review.members_answer("V1.3", *["yes"] * 6)
    review.to(CycleState.VISIT)
    for person, v13 in ((personas.reviewer, "Met"), (personas.lived_experience_reviewer, "Partly met"),
                        (personas.lead_reviewer, "Not met")):
        review.rate_everything(person, V1_2="Partly met", V1_3=v13)
    return review


def choice(review, label):
    return NA if label == NA else str(level(review.cycle, label).pk)


def posted(review, answers, **buttons):
    """The value page's form: code → (choice label or "", rationale, base version)."""
    data = dict(buttons or {"save": ""})
    for code, (label, rationale, version) in answers.items():
        pk = criterion(review.cycle, code).pk
        data |= {f"c{pk}_level": choice(review, label) if label else "", f"c{pk}_rationale": rationale,
                 f"c{pk}_version": str(version)}
    return data


def agreed(review):
    return {
        a.criterion.code: ("N/A" if a.not_applicable else a.level.label, a.rationale, a.version)
        for a in AgreedRating.objects.filter(cycle=review.cycle).select_related("criterion", "level")
    }


def checked(response, review, code):
    """The label of the choice checked for `code` on the page, or None."""
    pk = criterion(review.cycle, code).pk
    html = response.content.decode()
    found = re.search(rf'<input type="radio" name="c{pk}_level" value="([^"]+)"[^>]*checked', html)
    if not found:
        return None
    return "N/A" if found.group(1) == NA else next(
        lv.label for lv in review.cycle.edition.levels.all() if str(lv.pk) == found.group(1))


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("staff", "members", "reviewers", "agreed_label", "why"),
    [
        ("Met", ["yes"] * 6, ("Met", "Met", "Met"), "Met", None),
        # each view on its own
        ("Partly met", ["yes"] * 3 + ["sometimes"] * 3, ("Met", "Met", "Met"), "Partly met",
         "the agreed rating differs from the reviewers' median (Met)"),
        ("Met", ["no"] * 6, ("Met", "Met", "Met"), "Met", "the agreed rating differs from the members' view (Not met)"),
        ("Not met", ["yes"] * 6, ("Met", "Met", "Met"), "Met",
         "the agreed rating differs from the service's own rating (Not met)"),
        # all three, each named with its rating
        ("Not met", ["no"] * 6, ("Met", "Met", "Met"), "Partly met",
         "the agreed rating differs from the reviewers' median (Met), from the members' view (Not met) "
         "and from the service's own rating (Not met)"),
        # half a level from the median is not a difference; a level and a half is
        ("Met", [], ("Met", "Partly met", NA), "Met", None),
        ("Not met", [], ("Met", "Partly met", NA), "Not met",
         "the agreed rating differs from the reviewers' median (between Partly met and Met)"),
        # Not applicable against levels, and a level against reviewers who all said Not applicable
        (NA, [], ("Met", "Met", "Met"), NA, "the agreed rating differs from the reviewers' median (Met)"),
        (NA, [], (NA, NA, NA), NA, None),
        (NA, [], (NA, NA, NA), "Met",
         "the agreed rating differs from the reviewers' view (all Not applicable) and from the service's own "
         "rating (Not applicable)"),
        # four members are too few to count: their view is not weighed
        ("Met", ["no"] * 4, ("Met", "Met", "Met"), "Met", None),
    ],
)
def test_rationale_needed_names_each_view_the_agreed_rating_differs_from(
    personas, staff, members, reviewers, agreed_label, why
):
    review = PeerReview(personas)
    review.self_rate("V1.3", staff)
    if members:
        review.members_answer("V1.3", *members)
    review.to(CycleState.VISIT)
    for person, rating in zip((personas.reviewer, personas.lived_experience_reviewer, personas.lead_reviewer),
                              reviewers, strict=True):
        review.rate_everything(person, V1_3=rating)
    chosen = None if agreed_label == NA else level(review.cycle, agreed_label)

    assert rationale_needed(review.cycle, criterion(review.cycle, "V1.3"), chosen, agreed_label == NA) == why


def test_reviewers_two_levels_apart_alone_need_no_rationale(personas):
    """The old trigger is gone: agreeing the reviewers' median, with nobody else's view against it."""
    review = reviewed(personas, V2_1=("Met", "Not met", "Met"))

    assert rationale_needed(review.cycle, criterion(review.cycle, "V2.1"), level(review.cycle, "Met"), False) is None


def test_members_only_criterion_has_no_service_view_but_the_members(personas):
    review = PeerReview(personas)
    review.self_rate("V1.2", "Not met")  # asked of members only: a staff answer is not weighed
    review.to(CycleState.VISIT)
    for person in (personas.reviewer, personas.lived_experience_reviewer, personas.lead_reviewer):
        review.rate_everything(person)

    assert rationale_needed(review.cycle, criterion(review.cycle, "V1.2"), level(review.cycle, "Met"), False) is None


# --- the page ----------------------------------------------------------------------------------


def test_value_page_shows_every_view_and_preselects_unanimous_choices(personas):
    review = value_one(personas)

    response = browser_for(personas.lead_reviewer).get(review.url("agree-value", "V1"))

    page = text(response)
    assert response.status_code == 200
    assert "Value 1 of 4" in page
    assert ("V1.3 · Tier 1: essential Statement for V1.3. Staff Partly met Members Yes 6 · Sometimes 0 · No 0 (n=6) "
            "Of 6 members who answered, 6 said yes, 0 sometimes and 0 no. Members' level: Met "
            "Reviewers Median Partly met from 3 ratings, from Not met to Met Reviewers disagree Members differ") in page
    assert f"{personas.lead_reviewer} (lead) : Not met — {personas.lead_reviewer} on V1.3." in page
    assert f"{personas.reviewer} : Met — {personas.reviewer} on V1.3." in page
    assert "Staff Not asked of staff Members Meeting: Yes (7 members)" in page
    assert [checked(response, review, code) for code in ("V1.1", "V1.2", "V1.3")] == ["Met", "Partly met", None]
    assert page.count("so it is chosen for you. It is saved when you save.") == 2
    assert agreed(review) == {}  # pre-selected, not saved


def test_preselection_never_replaces_an_agreed_rating(personas):
    review = value_one(personas)
    review.agree("V1.1", "Partly met", rationale="Nights differ.")

    response = browser_for(personas.lead_reviewer).get(review.url("agree-value", "V1"))

    assert checked(response, review, "V1.1") == "Partly met"
    assert "Nights differ." in response.content.decode()
    assert text(response).count("so it is chosen for you") == 1  # V1.2 only


def test_save_and_next_value_saves_and_opens_the_next(personas):
    review = value_one(personas)
    client = browser_for(personas.lead_reviewer)

    response = client.post(review.url("agree-value", "V1"), posted(review, {
        "V1.1": ("Met", "", 0),
        "V1.2": ("Partly met", "Members told us it depends on the shift.", 0),
        "V1.3": ("Partly met", "", 0),  # the reviewers' median and the staff's rating; the members said Met
    }, **SAVE_AND_NEXT))

    assert response.status_code == 400  # V1.3 differs from the members' view
    assert agreed(review) == {"V1.1": ("Met", "", 1), "V1.2": ("Partly met", "Members told us it depends on the shift.", 1)}

    response = client.post(review.url("agree-value", "V1"), posted(review, {
        "V1.1": ("Met", "", 1), "V1.2": ("Partly met", "Members told us it depends on the shift.", 1),
        "V1.3": ("Partly met", "Members were generous; day staff do this, nights not yet.", 0),
    }, **SAVE_AND_NEXT))

    assert response.status_code == 302
    assert response["Location"] == review.url("agree-value", "V2")
    assert agreed(review)["V1.3"] == ("Partly met", "Members were generous; day staff do this, nights not yet.", 1)
    assert agreed(review)["V1.1"][2] == 1  # unchanged, not saved again
    assert "1 agreed rating of Value 1 saved." in text(client.get(response["Location"]))


def test_errors_keep_what_was_typed_and_say_the_valid_ones_are_saved(personas):
    review = value_one(personas)
    typed = "We saw it at the community meeting."

    response = browser_for(personas.lead_reviewer).post(review.url("agree-value", "V1"), posted(review, {
        "V1.1": ("Met", "", 0), "V1.2": ("Met", typed, 0), "V1.3": ("Not met", "", 0),
    }))

    page, html = text(response), response.content.decode()
    v13 = criterion(review.cycle, "V1.3").pk
    assert response.status_code == 400
    summary = page[page.index("There is a problem"):page.index("Each criterion's views")]
    assert summary == (
        "There is a problem The agreed ratings of V1.1, V1.2 are saved. The ones below are not saved yet: "
        "V1.3: Give a rationale: the agreed rating differs from the reviewers' median (Partly met), from the "
        "members' view (Met) and from the service's own rating (Partly met). "
    )
    assert f'<a href="#id_c{v13}_rationale">V1.3: Give a rationale' in html
    assert f'id="id_c{v13}_rationale_error">V1.3: Give a rationale' in html  # next to the field too
    assert typed in html
    assert checked(response, review, "V1.3") == "Not met"
    assert agreed(review) == {"V1.1": ("Met", "", 1), "V1.2": ("Met", typed, 1)}
    # the page now carries the saved versions, so saving it again does not take them for stale
    v11 = criterion(review.cycle, "V1.1").pk
    assert f'name="c{v11}_version" value="1"' in html


def test_choosing_nothing_leaves_a_criterion_for_later_unless_a_rationale_was_written(personas):
    review = value_one(personas)
    client = browser_for(personas.lead_reviewer)

    response = client.post(review.url("agree-value", "V1"), posted(review, {
        "V1.1": ("Met", "", 0), "V1.2": ("", "", 0), "V1.3": ("", "Half written.", 0),
    }))

    assert response.status_code == 400
    assert "Choose the agreed rating for V1.3." in text(response)
    assert agreed(review) == {"V1.1": ("Met", "", 1)}


def test_stale_version_is_not_overwritten(personas):
    review = value_one(personas)
    client = browser_for(personas.lead_reviewer)
    client.get(review.url("agree-value", "V1"))  # opened with nothing agreed ...
    review.agree("V1.1", "Partly met", rationale="Recorded in another tab.")  # ... then agreed elsewhere

    response = client.post(review.url("agree-value", "V1"), posted(review, {"V1.1": ("Met", "", 0)}))

    assert response.status_code == 400
    assert ("Someone else recorded an agreed rating for V1.1 while you were looking at it. "
            "Reload the page to see it.") in text(response)
    assert agreed(review) == {"V1.1": ("Partly met", "Recorded in another tab.", 1)}


def test_last_value_goes_to_the_grid_or_finishes(personas):
    review = reviewed(personas)
    client = browser_for(personas.lead_reviewer)
    last = {f"V4.{n}": ("Met", "", 0) for n in (1, 2, 3)}

    response = client.post(review.url("agree-value", "V4"), posted(review, last, **SAVE_AND_NEXT))

    assert response["Location"] == review.url("agreement")
    assert "Save and finish agreeing" in text(client.get(review.url("agree-value", "V4")))
    assert "Save and finish agreeing" not in text(client.get(review.url("agree-value", "V3")))

    refused = client.post(review.url("agree-value", "V4"), {"finish": ""}, follow=True)
    assert "9 criteria have no agreed rating yet" in text(refused)
    assert review.refresh().cycle.state == CycleState.VISIT

    for value in ("V1", "V2", "V3"):
        client.post(review.url("agree-value", value), posted(review, {f"{value}.{n}": ("Met", "", 0) for n in (1, 2, 3)}))
    finished = client.post(review.url("agree-value", "V4"), {"finish": ""})
    assert finished["Location"] == review.cycle.get_absolute_url()
    assert review.refresh().cycle.state == CycleState.RATINGS_AGREED


def test_grid_links_each_value_to_its_page(personas):
    review = reviewed(personas)

    html = browser_for(personas.lead_reviewer).get(review.url("agreement")).content.decode()

    assert f'href="{review.url("agree-value", "V1")}">Agree value by value</a>' in html
    for value in ("V1", "V2", "V3", "V4"):
        assert f'href="{review.url("agree-value", value)}">Agree Value {value[1]}</a>' in html
    assert f'href="{review.url("agree-criterion", "V1.1")}"' in html


# --- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reviewer", "admin"])
def test_others_read_the_page_but_cannot_agree(personas, persona):
    review = value_one(personas)
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("agree-value", "V1"))
    response = client.post(review.url("agree-value", "V1"), posted(review, {"V1.1": ("Met", "", 0)}))

    assert page.status_code == 200
    assert "Save and next value" not in text(page)
    assert 'type="radio"' not in page.content.decode()
    assert response.status_code == 404
    assert agreed(review) == {}


def test_lead_who_has_not_submitted_cannot_agree(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.rate_everything(personas.lead_reviewer, submit=False)
    client = browser_for(personas.lead_reviewer)

    assert client.get(review.url("agree-value", "V1")).status_code == 404
    assert client.post(review.url("agree-value", "V1"), posted(review, {"V1.1": ("Met", "", 0)})).status_code == 404
    assert agreed(review) == {}


def test_another_services_cycle_and_unknown_value_answer_404(personas):
    review = value_one(personas)
    elsewhere = CycleFactory(service=personas.other, edition=review.cycle.edition, state=CycleState.VISIT)
    client = browser_for(personas.lead_reviewer)

    assert client.get(f"/cycles/{elsewhere.pk}/agree/value/V1/").status_code == 404
    assert client.post(f"/cycles/{elsewhere.pk}/agree/value/V1/", posted(review, {"V1.1": ("Met", "", 0)})).status_code == 404
    assert client.get(review.url("agree-value", "V9")).status_code == 404
    assert AgreedRating.objects.count() == 0


def test_criterion_of_another_value_posted_saves_nothing(personas):
    review = value_one(personas)

    response = browser_for(personas.lead_reviewer).post(
        review.url("agree-value", "V1"), posted(review, {"V1.1": ("Met", "", 0), "V2.1": ("Met", "", 0)})
    )

    assert response.status_code == 400
    assert "a criterion that is not on this page. Nothing was saved." in text(response)
    assert agreed(review) == {}


def test_agreed_after_finishing_refused(personas):
    review = reviewed(personas)
    review.agree_everything().finish()
    client = browser_for(personas.lead_reviewer)

    page = client.get(review.url("agree-value", "V1"))
    response = client.post(review.url("agree-value", "V1"), posted(review, {"V1.1": ("Partly met", "Late.", 1)}))

    assert "Agreed rating: Met The team weighed every view." in text(page)
    assert response.status_code == 404
    assert agreed(review)["V1.1"][0] == "Met"


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_value", [3, 12])
def test_value_page_reads_and_saves_in_bounded_queries(personas, django_assert_max_num_queries, per_value):
    """Reading the page, and saving it with nothing changed, take the same number of queries
    whatever the number of criteria; saving adds only each saved rating's write and its audit entry."""
    review = reviewed(personas, edition=build_edition(values=2, criteria_per_value=per_value))
    client = browser_for(personas.lead_reviewer)
    client.get(review.url("agree-value", "V1"))  # warm the session
    codes = [f"V1.{n}" for n in range(1, per_value + 1)]
    nothing_chosen = posted(review, {code: ("", "", 0) for code in codes})
    everything_met = posted(review, {code: ("Met", "", 0) for code in codes})

    with django_assert_max_num_queries(16):
        assert client.get(review.url("agree-value", "V1")).status_code == 200
    with django_assert_max_num_queries(26):
        assert client.post(review.url("agree-value", "V1"), nothing_chosen).status_code == 302
    with django_assert_max_num_queries(27 + 2 * per_value):
        assert client.post(review.url("agree-value", "V1"), everything_met).status_code == 302
    assert len(agreed(review)) == per_value
