"""The decision: what the agreed ratings say (percent met overall, by value and by tier, RAG per
value, the recommendation by the edition's award rule), recorded by a network administrator once
the draft report has been answered, which makes the report final."""

import datetime

import pytest

from reviews.models import CycleState, Decision, DecisionOutcome
from tests.factories import CriterionFactory, EditionFactory, ValueFactory
from tests.support.pages import table, text
from tests.support.personas import browser_for
from tests.support.reviews import NA, PeerReview

# value code, name, [(criterion code, tier, agreed rating)]
DESIGN = [
    ("V1", "Voice", [("V1.1", 1, "Met"), ("V1.2", 2, "Met"), ("V1.3", 2, "Met"), ("V1.4", 3, NA)]),
    ("V2", "Safety", [("V2.1", 1, "Met"), ("V2.2", 2, "Partly met"), ("V2.3", 3, "Met"), ("V2.4", 3, "Not met")]),
    ("V3", "Openness", [("V3.1", 1, "Partly met"), ("V3.2", 2, "Met")]),
]


def designed_edition(**rule):
    edition = EditionFactory(**rule)
    for order, (code, name, criteria) in enumerate(DESIGN, start=1):
        value = ValueFactory(edition=edition, code=code, name=name, order=order)
        for c_order, (c_code, tier, _label) in enumerate(criteria, start=1):
            CriterionFactory(value=value, code=c_code, order=c_order, tier=tier, statement=f"Statement for {c_code}.")
    return edition


def agreed_as_designed(personas, stage=CycleState.REPORT_DRAFT, **rule):
    review = PeerReview(personas, edition=designed_edition(**rule)).to(CycleState.VISIT)
    review.everyone_rates()
    review.agree_everything(**{code.replace(".", "_"): label for _v, _n, cs in DESIGN for code, _t, label in cs})
    review.finish()
    return review.to(stage)


def record(client, review, outcome=DecisionOutcome.AWARDED, rationale="The panel agrees.", valid_until="2029-06-30"):
    return client.post(review.url("decision"), {"outcome": outcome, "rationale": rationale,
                                                "valid_until": valid_until})


# --- what the agreed ratings say --------------------------------------------------------------


def test_decision_page_shows_percent_met_overall_by_tier_and_by_value(personas):
    review = agreed_as_designed(personas)

    response = browser_for(personas.admin).get(review.url("decision"))

    page = text(response)
    assert "6 of 9 applicable criteria are met: 66.7%." in page
    assert "2 are partly met (22.2%), shown separately and not counted as met." in page
    assert "1 are not applicable and left out." in page
    assert table(response, "Percent met by tier") == [
        "Tier 1: essential 2 1 0 0 66.7 100 Not reached",
        "Tier 2: expected 3 1 0 0 75.0 80 Not reached",
        "Tier 3: desirable 1 0 1 1 50.0 60 Not reached",
    ]
    assert table(response, "Percent met and RAG by value") == [
        "Voice 3 0 0 1 100.0 Green 100.0% met",
        "Safety 2 1 1 0 50.0 Amber 50.0% met",
        "Openness 1 1 0 0 50.0 Red tier 1 criteria not met: V3.1",
    ]
    assert ("Recommendation: do not award yet. Tier 1 is at 66.7%, below 100%. Tier 2 is at 75.0%, below 80%. "
            "Tier 3 is at 50.0%, below 60%.") in page
    assert ("How this is worked out: only the top level counts as met; Not applicable is left out of every "
            "percentage. A value is green from 80% met, amber from 50%, red below, and red whenever one of its "
            "tier 1 criteria is not met.") in page


def test_decision_recommendation_follows_edition_thresholds(personas):
    review = agreed_as_designed(personas, tier_1_threshold=60, tier_2_threshold=75, tier_3_threshold=50,
                                rag_green_from=100, rag_amber_from=40)

    response = browser_for(personas.admin).get(review.url("decision"))

    page = text(response)
    assert "Recommendation: award. Every tier reaches its threshold." in page
    assert [row.split()[-1] for row in table(response, "Percent met by tier")] == ["Reached"] * 3
    assert [row.split(" ")[6] for row in table(response, "Percent met and RAG by value")] == ["Green", "Amber", "Red"]
    assert "A value is green from 100% met, amber from 40%" in page
    assert response.context["form"]["outcome"].value() == DecisionOutcome.AWARDED


def test_decision_page_before_every_rating_agreed_says_not_final(personas):
    review = PeerReview(personas, edition=designed_edition()).to(CycleState.VISIT)
    review.everyone_rates()
    review.agree("V1.1", "Met")

    page = text(browser_for(personas.lead_reviewer).get(review.url("decision")))

    assert "9 criteria have no agreed rating yet, so this is not final." in page
    assert "Not every criterion has an agreed rating." in page


# --- recording the decision -------------------------------------------------------------------


def test_decision_recorded_makes_report_final(personas):
    review = agreed_as_designed(personas)
    client = browser_for(personas.admin)

    response = record(client, review, DecisionOutcome.AWARDED_WITH_CONDITIONS, "Awarded, with the tier 1 action.")
    page = text(client.get(response["Location"]))

    assert response["Location"] == review.cycle.get_absolute_url()
    assert "The decision is recorded and the report is final." in page
    assert "Final report issued" in page
    decision = Decision.objects.get(cycle=review.cycle)
    assert (decision.outcome, decision.rationale, decision.valid_until) == (
        DecisionOutcome.AWARDED_WITH_CONDITIONS, "Awarded, with the tier 1 action.", datetime.date(2029, 6, 30)
    )
    assert (decision.recommended, float(decision.percent_met), decision.recorded_by) == (False, 66.7, personas.admin)
    assert review.refresh().cycle.state == CycleState.FINAL
    shown = text(client.get(review.url("decision")))
    assert "Awarded with conditions Awarded, with the tier 1 action." in shown
    assert "Valid until 30 June 2029." in shown
    assert "Record the decision" not in shown


def test_decision_needs_outcome_and_rationale(personas):
    review = agreed_as_designed(personas)

    response = record(browser_for(personas.admin), review, outcome="", rationale="  ")

    assert response.status_code == 400
    assert not Decision.objects.exists()
    assert review.refresh().cycle.state == CycleState.REPORT_DRAFT


def test_decision_waits_for_every_accuracy_comment_answered(personas):
    review = agreed_as_designed(personas)
    answered = review.comment("The rating of V1.1 misses the new rota.", code="V1.1")
    review.answer(answered)
    review.comment("The finding is out of date.", code="V2.2")
    client = browser_for(personas.admin)

    page = client.get(review.url("decision"))
    response = record(client, review)

    assert "1 comment on factual accuracy is still waiting for the lead reviewer's answer." in text(page)
    assert response.status_code == 400
    assert "The lead reviewer has not yet answered 1 of the service's comments on accuracy." in text(response)
    assert not Decision.objects.exists()
    assert review.refresh().cycle.state == CycleState.REPORT_DRAFT


def test_decision_waits_for_draft_report(personas):
    review = agreed_as_designed(personas, stage=CycleState.RATINGS_AGREED)
    client = browser_for(personas.admin)

    page = client.get(review.url("decision"))
    response = record(client, review)

    assert "Record the decision" not in text(page)
    assert response.status_code == 404
    assert not Decision.objects.exists()
    assert review.refresh().cycle.state == CycleState.RATINGS_AGREED


@pytest.mark.parametrize("persona", ["lead_reviewer", "lead", "staff", "member", "reviewer"])
def test_decision_recorded_only_by_admin(personas, persona):
    review = agreed_as_designed(personas)
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("decision"))
    response = record(client, review)

    assert page.status_code == 200
    assert "Record the decision" not in text(page)
    assert response.status_code == 404
    assert not Decision.objects.exists()


# --- closing ----------------------------------------------------------------------------------


def test_cycle_closed_after_final_report(personas):
    review = agreed_as_designed(personas, stage=CycleState.FINAL)
    client = browser_for(personas.admin)

    response = client.post(review.url("decision"), {"close": ""}, follow=True)

    assert response.redirect_chain[-1][0] == review.cycle.get_absolute_url()
    assert review.refresh().cycle.state == CycleState.CLOSED
    assert "Close the cycle" not in text(client.get(review.url("decision")))


def test_cycle_not_closed_before_final_report(personas):
    review = agreed_as_designed(personas)
    client = browser_for(personas.admin)

    page = client.get(review.url("decision"))
    response = client.post(review.url("decision"), {"close": ""})

    assert "Close the cycle" not in text(page)
    assert response.status_code == 400
    assert review.refresh().cycle.state == CycleState.REPORT_DRAFT


@pytest.mark.parametrize("persona", ["lead_reviewer", "lead"])
def test_cycle_closed_only_by_admin(personas, persona):
    review = agreed_as_designed(personas, stage=CycleState.FINAL)

    response = browser_for(getattr(personas, persona)).post(review.url("decision"), {"close": ""})

    assert response.status_code == 404
    assert review.refresh().cycle.state == CycleState.FINAL
