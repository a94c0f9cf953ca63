"""Agreeing ratings: every view side by side with the flags, and the lead reviewer recording the
team's rating for each criterion, with a rationale where it departs from what others said."""

from types import SimpleNamespace

import pytest

from reviews.members.models import Channel
from reviews.models import AgreedRating, CycleState
from reviews.templatetags.review_tags import level_named
from tests.support.pages import table, text
from tests.support.personas import browser_for
from tests.support.reviews import ABSTAIN, NA, PeerReview, level

V1_3_MEMBERS = "Yes 1 · Sometimes 0 · No 5 (n=6) Of 6 members who answered, 1 said yes, 0 sometimes and 5 no."


def rated(personas, lead_submits=True, **cycle_fields):
    """Staff and members answered a few criteria; the three reviewers rated everything Met except:
    V1.1 reviewers two levels apart; V1.3 staff and members away from the reviewers' median (six
    members answered, five of them No); V1.2 (asked of members only, answered by a members'
    meeting: Yes) one rating left after an abstention and an N/A."""
    review = PeerReview(personas, **cycle_fields)
    review.self_rate("V1.1", "Met")
    review.self_rate("V1.3", "Met")
    review.members_answer("V1.3", "yes", *["no"] * 5)
    review.members_answer("V1.2", "yes", channel=Channel.GROUP, group_size=8)
    review.self_rate("V2.1", "Met")
    review.to(CycleState.VISIT)
    review.rate_everything(personas.reviewer, V1_1="Met", V1_3="Partly met", V1_2=NA)
    review.rate_everything(personas.lived_experience_reviewer, V1_1="Not met", V1_3="Partly met",
                           V1_2=(ABSTAIN, "Members' groups were not on the timetable."))
    review.rate_everything(personas.lead_reviewer, submit=lead_submits, V1_1="Met", V1_3="Met")
    return review


def grid_row(response, code):
    [row] = [row for row in table(response, "Ratings by criterion") if row.startswith(f"{code} ")]
    return row


def criterion_rows(response):
    """The grid's rows of criteria, without the value headings between them."""
    return [row for row in table(response, "Ratings by criterion") if not row.startswith("Agree ")]


def agree(client, review, code, choice, rationale="", version=0, flagged=""):
    data = {"level": choice if choice == NA else str(level(review.cycle, choice).pk), "rationale": rationale,
            "version": str(version), "flagged": flagged}
    return client.post(review.url("agree-criterion", code), data)


def agreed(review):
    return {
        a.criterion.code: ("N/A" if a.not_applicable else a.level.label, a.rationale)
        for a in AgreedRating.objects.filter(cycle=review.cycle).select_related("criterion", "level")
    }


# --- the grid ---------------------------------------------------------------------------------


def test_grid_shows_every_view_median_range_count_and_flags(personas):
    review = rated(personas)

    response = browser_for(personas.lead_reviewer).get(review.url("agreement"))

    page = text(response)
    lead, lived, peer = personas.lead_reviewer, personas.lived_experience_reviewer, personas.reviewer
    assert f"Criterion Agreed Staff Members {lead} (lead) {lived} {peer} Median Range n Flags" in page
    assert grid_row(response, "V1.1") == (
        "V1.1 Statement for V1.1. Not yet Met Not asked Met Not met Met 2 0–2 3 Reviewers disagree"
    )
    assert grid_row(response, "V1.2") == (
        "V1.2 Statement for V1.2. Not yet — Meeting: Yes (8 members) Met Abstained N/A 2 2–2 1"
    )
    assert grid_row(response, "V1.3") == (
        f"V1.3 Statement for V1.3. T1 Not yet Met {V1_3_MEMBERS} Met Partly met Partly met 1 1–2 3 "
        "Self differs Members differ"
    )
    assert grid_row(response, "V2.1") == "V2.1 Statement for V2.1. Not yet Met Not asked Met Met Met 2 2–2 3"
    assert len(criterion_rows(response)) == 12
    assert [row for row in table(response, "Ratings by criterion") if row.startswith("Agree ")] == [
        "Agree Value 1", "Agree Value 2", "Agree Value 3", "Agree Value 4"
    ]
    assert "0 of 12 criteria have an agreed rating. 2 criteria are flagged." in page


def test_grid_flags_self_one_level_from_median_not_less(personas):
    review = PeerReview(personas)
    review.self_rate("V2.1", "Partly met")  # one level below the reviewers' Met
    review.self_rate("V3.1", "Met")  # the reviewers' median is 1.5: half a level away
    review.to(CycleState.VISIT)
    review.rate_everything(personas.reviewer, V3_1="Partly met")
    review.rate_everything(personas.lead_reviewer, V3_1="Met")

    response = browser_for(personas.lead_reviewer).get(review.url("agreement"))

    assert grid_row(response, "V2.1").endswith("Not yet Partly met Not asked Met — Met 2 2–2 2 Self differs")
    assert grid_row(response, "V3.1").endswith("Not yet Met Not asked Met — Partly met 1.5 1–2 2")
    assert f"Not everyone has submitted their ratings yet: {personas.lived_experience_reviewer}." in text(response)


def test_grid_flagged_only_shows_flagged_criteria(personas):
    review = rated(personas)

    response = browser_for(personas.lead_reviewer).get(review.url("agreement"), {"flagged": "1"})

    assert [row.split()[0] for row in criterion_rows(response)] == ["V1.1", "V1.3"]
    assert "Show every criterion" in text(response)
    assert f'href="{review.url("agree-criterion", "V1.1")}?flagged=1"' in response.content.decode()


def test_grid_flagged_only_with_nothing_flagged_says_so(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.rate_everything(personas.lead_reviewer)

    response = browser_for(personas.lead_reviewer).get(review.url("agreement"), {"flagged": "1"})

    assert table(response, "Ratings by criterion") == ["No criteria are flagged."]


def test_criterion_page_shows_each_view_with_reasons_and_comments(personas):
    review = rated(personas)

    response = browser_for(personas.lead_reviewer).get(review.url("agree-criterion", "V1.2"))

    page = text(response)
    assert "Staff Not asked of staff Members Meeting: Yes (8 members) Members' level, for the flags: Met" in page
    assert f"{personas.lived_experience_reviewer} : Abstained (Members' groups were not on the timetable.)" in page
    assert f"{personas.reviewer} : N/A" in page
    assert f"{personas.lead_reviewer} (lead) : Met {personas.lead_reviewer} on V1.2." in page
    assert "Median Met from 1 ratings." in page


# --- who sees the grid, who agrees ------------------------------------------------------------


def test_lead_agrees_only_after_submitting_own_ratings(personas):
    review = rated(personas, lead_submits=False)
    client = browser_for(personas.lead_reviewer)

    assert client.get(review.url("agreement")).status_code == 404
    assert client.get(review.url("agree-criterion", "V2.1")).status_code == 404
    assert agree(client, review, "V2.1", "Met").status_code == 404

    review.rate_everything(personas.lead_reviewer, V1_1="Met", V1_3="Met")
    page = client.get(review.url("agree-criterion", "V2.1"))

    assert "Save and go to the next" in text(page)
    assert agree(client, review, "V2.1", "Met").status_code == 302
    assert agreed(review) == {"V2.1": ("Met", "")}


def test_lead_agrees_before_submitting_when_ratings_shared(personas):
    review = rated(personas, lead_submits=False, independent_ratings=False)

    response = agree(browser_for(personas.lead_reviewer), review, "V2.1", "Met")

    assert response.status_code == 302
    assert agreed(review) == {"V2.1": ("Met", "")}


@pytest.mark.parametrize("persona", ["reviewer", "admin"])
def test_grid_readable_but_not_agreed_by_others(personas, persona):
    review = rated(personas)
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("agree-criterion", "V2.1"))

    assert page.status_code == 200
    assert "Save and go to the next" not in text(page)
    assert "The ratings are agreed" not in text(client.get(review.url("agreement")))
    assert agree(client, review, "V2.1", "Met").status_code == 404
    assert client.post(review.url("agreement"), {"finish": ""}).status_code == 404
    assert agreed(review) == {}


def test_agreed_rating_saved_and_next_unagreed_criterion_opened(personas):
    review = rated(personas)
    client = browser_for(personas.lead_reviewer)

    response = agree(client, review, "V1.2", "Met")

    assert response["Location"] == review.url("agree-criterion", "V1.3")
    assert agreed(review) == {"V1.2": ("Met", "")}
    followed = client.get(response["Location"])
    assert "Agreed rating for V1.2 saved." in text(followed)
    assert grid_row(client.get(review.url("agreement")), "V1.2").startswith("V1.2 Statement for V1.2. Met ")


def test_agreeing_flagged_only_goes_to_next_flagged(personas):
    review = rated(personas)

    response = agree(browser_for(personas.lead_reviewer), review, "V1.1", "Met",
                     rationale="Two of us saw it at the community meeting.", flagged="1")

    assert response["Location"] == review.url("agree-criterion", "V1.3") + "?flagged=1"


@pytest.mark.parametrize(
    ("code", "choice", "why"),
    [
        ("V2.1", "Partly met", "the reviewers' median (Met) and from the service's own rating (Met)"),
        ("V2.1", NA, "the reviewers' median (Met) and from the service's own rating (Met)"),
        ("V1.1", "Not met", "the reviewers' median (Met) and from the service's own rating (Met)"),
        # V1.2 is asked of members only: a members' meeting said Yes (Met); there is no staff view.
        ("V1.2", "Partly met", "the reviewers' median (Met) and from the members' view (Met)"),
        ("V1.2", NA, "the reviewers' median (Met) and from the members' view (Met)"),
        # V1.3: staff Met, members Not met (five of six said No), the reviewers' median Partly met.
        ("V1.3", "Partly met", "the members' view (Not met) and from the service's own rating (Met)"),
        ("V1.3", "Met", "the reviewers' median (Partly met) and from the members' view (Not met)"),
    ],
)
def test_agreed_rating_needs_rationale_where_views_differ(personas, code, choice, why):
    review = rated(personas)

    response = agree(browser_for(personas.lead_reviewer), review, code, choice, rationale="   ")

    assert response.status_code == 400
    assert f"Give a rationale: the agreed rating differs from {why}." in text(response)
    assert agreed(review) == {}


@pytest.mark.parametrize(("code", "choice"), [("V2.1", "Met"), ("V1.2", "Met"), ("V3.3", "Met"), ("V1.1", "Met")])
def test_agreed_rating_without_rationale_where_nobody_differs(personas, code, choice):
    """The same as the reviewers' median, the members' view and the service's own rating, where
    each is given. Reviewers two levels apart (V1.1) no longer call for one on their own."""
    review = rated(personas)

    response = agree(browser_for(personas.lead_reviewer), review, code, choice)

    assert response.status_code == 302
    assert agreed(review) == {code: ("N/A" if choice == NA else choice, "")}


def test_agreed_rating_is_what_lead_chose_never_an_average(personas):
    review = rated(personas)
    client = browser_for(personas.lead_reviewer)

    agree(client, review, "V1.3", "Not met", rationale="Members told us staff chair when it matters.")

    assert agreed(review) == {"V1.3": ("Not met", "Members told us staff chair when it matters.")}
    row = grid_row(client.get(review.url("agreement")), "V1.3")
    assert row == (f"V1.3 Statement for V1.3. T1 Not met Met {V1_3_MEMBERS} Met Partly met Partly met 1 1–2 3 "
                   "Self differs Members differ")
    page = text(client.get(review.url("agree-criterion", "V1.3")))
    assert f"Agreed by {personas.lead_reviewer}," in page
    assert f"Staff Met What shows V1.3. Members {V1_3_MEMBERS} Members' level, for the flags: Not met" in page


def test_too_few_members_answers_show_no_count_and_raise_no_flag(personas):
    """Four members answered V1.3, all No (the edition's minimum is five): the grid says so without a
    count, and the members' view flags nothing."""
    review = PeerReview(personas)
    review.self_rate("V1.3", "Met")
    review.members_answer("V1.3", *["no"] * 4)
    review.to(CycleState.VISIT)
    for reviewer in (personas.reviewer, personas.lived_experience_reviewer, personas.lead_reviewer):
        review.rate_everything(reviewer)

    row = grid_row(browser_for(personas.lead_reviewer).get(review.url("agreement")), "V1.3")

    assert row == "V1.3 Statement for V1.3. T1 Not yet Met Too few answers to show Met Met Met 2 2–2 3"


def test_agreed_rating_changed_with_current_version(personas):
    review = rated(personas)
    client = browser_for(personas.lead_reviewer)
    agree(client, review, "V2.1", "Met")

    response = agree(client, review, "V2.1", "Partly met", rationale="On reflection, nights differ.", version=1)

    assert response.status_code == 302
    assert agreed(review) == {"V2.1": ("Partly met", "On reflection, nights differ.")}
    assert AgreedRating.objects.get().version == 2


def test_agreed_rating_from_stale_page_refused(personas):
    review = rated(personas)
    client = browser_for(personas.lead_reviewer)
    client.get(review.url("agree-criterion", "V2.1"))  # opened at version 0 ...
    review.agree("V2.1", "Partly met", rationale="Recorded in another tab.")  # ... saved elsewhere meanwhile

    response = agree(client, review, "V2.1", "Met", version=0)

    assert response.status_code == 400
    assert ("Someone else recorded an agreed rating for V2.1 while you were looking at it. "
            "Reload the page to see it.") in text(response)
    assert agreed(review) == {"V2.1": ("Partly met", "Recorded in another tab.")}


@pytest.mark.parametrize("data", [{"level": "", "version": "0"}, {"level": "99999", "version": "0"},
                                  {"level": "na"}, {"level": "na", "version": "-1"}])
def test_agreed_rating_tampered_form_refused(personas, data):
    review = rated(personas)

    response = browser_for(personas.lead_reviewer).post(review.url("agree-criterion", "V2.1"), data)

    assert response.status_code == 400
    assert agreed(review) == {}


def test_agree_unknown_criterion_404(personas):
    review = rated(personas)

    assert browser_for(personas.lead_reviewer).get(review.url("agree-criterion", "X9.9")).status_code == 404


# --- finishing --------------------------------------------------------------------------------


def test_finish_refused_until_every_criterion_agreed(personas):
    review = rated(personas)
    client = browser_for(personas.lead_reviewer)
    agree(client, review, "V2.1", "Met")

    response = client.post(review.url("agreement"), {"finish": ""}, follow=True)

    assert "11 criteria have no agreed rating yet: V1.1, V1.2, V1.3, V2.2, V2.3, V3.1" in text(response)
    assert review.refresh().cycle.state == CycleState.VISIT


def test_finish_moves_cycle_to_ratings_agreed(personas):
    review = rated(personas)
    review.agree_everything()
    client = browser_for(personas.lead_reviewer)

    response = client.post(review.url("agreement"), {"finish": ""}, follow=True)

    assert response.redirect_chain[-1][0] == review.cycle.get_absolute_url()
    assert "The ratings are agreed. Record the findings and actions, then send the draft report." in text(response)
    assert review.refresh().cycle.state == CycleState.RATINGS_AGREED
    assert "Ratings agreed" in text(response)


def test_agreed_ratings_fixed_once_finished(personas):
    review = rated(personas)
    review.agree_everything().finish()
    client = browser_for(personas.lead_reviewer)

    page = client.get(review.url("agree-criterion", "V2.1"))
    response = agree(client, review, "V2.1", "Partly met", rationale="Too late.", version=1)

    assert "Save and go to the next" not in text(page)
    assert "Agreed rating Met" in text(page)
    assert response.status_code == 404
    assert agreed(review)["V2.1"] == ("Met", "The team weighed every view.")
    assert client.post(review.url("agreement"), {"finish": ""}).status_code == 404


def test_a_median_is_named_in_the_editions_words():
    levels = [SimpleNamespace(value=0, label="Not met"), SimpleNamespace(value=1, label="Partly met"),
              SimpleNamespace(value=2, label="Met")]
    assert [level_named(value, levels) for value in (2, 1.5, 0, None)] == [
        "Met", "between Partly met and Met", "Not met", "—"]
