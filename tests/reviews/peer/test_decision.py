"""The decision page: what the agreed ratings say (percent met overall, by value and by tier, RAG
per value, the recommendation by the edition's award rule); the lead reviewer's recommended outcome
once the draft report has been answered, ratified or returned by a network administrator not on the
team, which records the decision and issues the final report in one step; and closing."""

import datetime

import pytest
from django.utils import timezone

from assurance.models import RoleKind
from assurance.roles import roles_of
from reviews.decisions.waiting import waiting as decisions_waiting
from reviews.models import CycleState, Decision, DecisionOutcome, Recommendation, RecommendationStatus
from reviews.reports.models import Report
from tests.factories import CriterionFactory, EditionFactory, ValueFactory
from tests.support.pages import table, text
from tests.support.personas import browser_for, person
from tests.support.reviews import NA, PeerReview, put_on_review_team, settled_review


def later():
    """Three years from today, read when the test runs (not when the module is collected)."""
    return timezone.localdate() + datetime.timedelta(days=3 * 365)


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


def recommend(client, review, outcome=DecisionOutcome.AWARDED, reasons="The panel agrees.", valid_until=None,
              follow_up_due=""):
    valid_until = later().isoformat() if valid_until is None else valid_until
    return client.post(review.url("decision"), {"recommend": "", "outcome": outcome, "reasons": reasons,
                                                "valid_until": valid_until, "follow_up_due": follow_up_due})


def vote(client, review, button="ratify", reason=""):
    return client.post(review.url("decision"), {button: "", "reason": reason})


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
        "Openness 1 1 0 0 50.0 Red Tier 1 criteria not fully met: V3.1 (partly met)",
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


# --- recommending and ratifying -------------------------------------------------------------------


def test_lead_reviewer_recommends_and_an_administrator_ratifies_in_one_step(personas):
    review = agreed_as_designed(personas)
    lead, admin = browser_for(personas.lead_reviewer), browser_for(personas.admin)

    form_page = text(lead.get(review.url("decision")))
    recommended = recommend(lead, review, DecisionOutcome.AWARDED_WITH_CONDITIONS, "Awarded, with the tier 1 action.")
    waiting = admin.get(review.url("decision"))
    response = vote(admin, review, reason="Agreed at the network meeting.")
    page = text(admin.get(response["Location"]))

    assert "Recommend the outcome" in form_page
    assert recommended.status_code == 302
    assert "Recommended outcome, waiting for ratification" in text(waiting)
    assert "0 of 1 ratification needed." in text(waiting)
    assert "Recommend the outcome" not in text(waiting)
    assert response["Location"] == review.url("decision")
    assert "Ratified. The decision is recorded and the final report is issued." in page
    decision = Decision.objects.get(cycle=review.cycle)
    assert (decision.outcome, decision.rationale, decision.valid_until) == (
        DecisionOutcome.AWARDED_WITH_CONDITIONS, "Awarded, with the tier 1 action.", later()
    )
    assert (decision.recommended, float(decision.percent_met)) == (False, 66.7)
    assert (decision.recorded_by, decision.recommended_by) == (personas.admin, personas.lead_reviewer)
    assert review.refresh().cycle.state == CycleState.FINAL
    assert [r.version for r in Report.objects.filter(cycle=review.cycle, is_final=True)] == [1]
    assert "Awarded with conditions Awarded, with the tier 1 action." in page
    assert f"Valid until {later():%-d %B %Y}." in page
    assert f"Ratified by {personas.admin}" in page
    assert "Ratify or return it" not in page


def test_recommendation_form_offers_the_dates_by_default_and_keeps_what_was_typed(personas, settings):
    review = agreed_as_designed(personas)
    lead = browser_for(personas.lead_reviewer)

    page = lead.get(review.url("decision"))
    response = recommend(lead, review, reasons="  ", valid_until="")

    today = timezone.localdate()
    form = page.context["form"]
    assert form["valid_until"].value() == today.replace(year=today.year + settings.AWARD_VALID_YEARS)
    assert form["follow_up_due"].value() == today + datetime.timedelta(weeks=settings.FOLLOW_UP_WEEKS)
    assert response.status_code == 400
    assert "Enter reasons" in text(response)
    assert response.context["form"]["outcome"].value() == DecisionOutcome.AWARDED
    assert not Recommendation.objects.exists()


def test_an_award_without_valid_until_is_refused_next_to_the_field(personas):
    review = agreed_as_designed(personas)

    response = recommend(browser_for(personas.lead_reviewer), review, valid_until="", reasons="Meets the rule.")

    assert response.status_code == 400
    assert response.context["form"].errors == {"valid_until": ["Award valid until: give the date the award is valid until."]}
    assert response.context["form"]["reasons"].value() == "Meets the rule."


def test_recommendation_waits_for_every_accuracy_comment_answered(personas):
    review = agreed_as_designed(personas)
    answered = review.comment("The rating of V1.1 misses the new rota.", code="V1.1")
    review.answer(answered)
    review.comment("The finding is out of date.", code="V2.2")
    lead = browser_for(personas.lead_reviewer)

    page = lead.get(review.url("decision"))
    response = recommend(lead, review)

    assert "Answer the service's comment on factual accuracy first: 1 is waiting." in text(page)
    assert response.status_code == 400
    assert "Answer the service's comments on accuracy first: 1 still waiting." in text(response)
    assert not Recommendation.objects.exists()


def test_return_needs_a_reason_and_the_lead_sees_why_and_may_recommend_again(personas):
    review = agreed_as_designed(personas)
    lead, admin = browser_for(personas.lead_reviewer), browser_for(personas.admin)
    recommend(lead, review)

    no_reason = vote(admin, review, "return")
    returned = vote(admin, review, "return", "Tier 1 is not reached: an award needs it.")
    page = text(lead.get(review.url("decision")))

    assert no_reason.status_code == 400
    assert "Reason: say why you return the recommendation, for the lead reviewer." in text(no_reason)
    assert returned.status_code == 302
    assert Recommendation.objects.get().status == RecommendationStatus.RETURNED
    assert "Returned recommendations" in page
    assert "Why it was returned: Tier 1 is not reached: an award needs it." in page
    assert "Recommend the outcome" in page
    assert recommend(lead, review, DecisionOutcome.NOT_AWARDED, "Tier 1 is not reached.").status_code == 302
    assert Recommendation.objects.filter(status=RecommendationStatus.PENDING).count() == 1


def test_recommendation_before_the_draft_report_is_refused(personas):
    review = agreed_as_designed(personas, stage=CycleState.RATINGS_AGREED)
    lead = browser_for(personas.lead_reviewer)

    page = lead.get(review.url("decision"))
    response = recommend(lead, review)

    assert "Recommend the outcome" not in text(page)
    assert response.status_code == 404
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "lead", "staff", "member", "reviewer"])
def test_only_the_lead_reviewer_recommends(personas, persona):
    review = agreed_as_designed(personas)
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("decision"))
    response = recommend(client, review)

    assert page.status_code == 200
    assert "Recommend the outcome" not in text(page)
    assert response.status_code == 404
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("persona", ["lead_reviewer", "lead", "staff", "reviewer", "admin_on_team"])
def test_only_administrators_not_on_the_team_ratify(personas, persona):
    review = agreed_as_designed(personas)
    recommend(browser_for(personas.lead_reviewer), review)
    if persona == "admin_on_team":
        put_on_review_team(review.cycle, personas.admin)
        persona = "admin"
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("decision"))
    response = vote(client, review)

    assert "Ratify or return it" not in text(page)
    assert response.status_code == 404
    assert not Decision.objects.exists()


def test_the_service_sees_neither_recommendation_nor_votes_before_the_decision(personas):
    review = agreed_as_designed(personas)
    recommend(browser_for(personas.lead_reviewer), review, reasons="REASONS-MARKER")

    for persona in ("lead", "staff", "member"):
        assert "REASONS-MARKER" not in text(browser_for(getattr(personas, persona)).get(review.url("decision")))
    assert "REASONS-MARKER" in text(browser_for(personas.reviewer).get(review.url("decision")))


def test_administrators_home_lists_recommendations_waiting(personas):
    review = agreed_as_designed(personas)
    recommend(browser_for(personas.lead_reviewer), review)
    admin = browser_for(personas.admin)

    home = text(admin.get("/"))
    vote(browser_for(person("admin2", RoleKind.NETWORK_ADMIN)), review)

    waiting = f"{personas.home.name}: {personas.lead_reviewer} recommends Awarded (recommended on"
    assert waiting in home
    assert "0 of 1 ratifications): ratify it or return it." in home
    assert waiting not in text(browser_for(personas.lead_reviewer).get("/"))
    assert waiting not in text(admin.get("/"))


@pytest.mark.parametrize("waiting", [1, 4])
def test_recommendations_waiting_are_listed_in_a_fixed_number_of_queries(personas, rf, waiting,
                                                                         django_assert_max_num_queries):
    for _n in range(waiting):
        agreed_as_designed_elsewhere(personas)
    request = rf.get("/")
    request.user = personas.admin
    roles_of(personas.admin)  # read once per request, by every panel

    with django_assert_max_num_queries(5):
        items = decisions_waiting(request)

    assert len([item for item in items if "ratify it or return it" in item.text]) == waiting


def agreed_as_designed_elsewhere(personas):
    """A second service's review with a recommendation waiting, for the query count."""
    cycle = settled_review(designed_edition(), state=CycleState.REPORT_DRAFT)
    return Recommendation.objects.create(cycle=cycle, outcome=DecisionOutcome.NOT_AWARDED, reasons="Not yet.",
                                         recommended_by=personas.lead_reviewer)


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
    assert response.status_code == 404
    assert review.refresh().cycle.state == CycleState.REPORT_DRAFT


@pytest.mark.parametrize("persona", ["lead_reviewer", "lead"])
def test_cycle_closed_only_by_admin(personas, persona):
    review = agreed_as_designed(personas, stage=CycleState.FINAL)

    response = browser_for(getattr(personas, persona)).post(review.url("decision"), {"close": ""})

    assert response.status_code == 404
    assert review.refresh().cycle.state == CycleState.FINAL
