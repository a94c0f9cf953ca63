"""The action plan after the final report: the service (and the lead reviewer) add actions for
settings.ACTION_PLAN_WINDOW_DAYS days after the decision; progress goes on as before, verifying
stays with the lead reviewer or an administrator, and open actions carry into the next cycle."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from reviews.models import Action, ActionStatus, Cycle, CycleState, Decision
from reviews.peer.services.outcomes import carry_open_actions
from tests.factories import build_edition
from tests.support.pages import table, text
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview

WINDOW = settings.ACTION_PLAN_WINDOW_DAYS


def final_review(personas, decided_days_ago=1):
    """Decided at noon, local time, that many calendar days ago: counting 24-hour days back from
    late evening would land on another local day when a clock change lies between."""
    review = PeerReview(personas).to(CycleState.FINAL)
    decided_on = timezone.localdate() - datetime.timedelta(days=decided_days_ago)
    Decision.objects.filter(cycle=review.cycle).update(
        recorded_at=timezone.make_aware(datetime.datetime.combine(decided_on, datetime.time(12))))
    return review


def closes_on(days_ago):
    return f"{timezone.localdate() - datetime.timedelta(days=days_ago) + datetime.timedelta(days=WINDOW):%-d %B %Y}"


def add_action(client, review, description="Rewrite the complaints leaflet with members.", owner="Service lead",
               due="2030-01-15", source=""):
    return client.post(review.url("findings"), {
        "add_action": "", "action-description": description, "action-owner": owner, "action-due_date": due,
        "action-source": source,
    }, follow=True)


def update(client, review, action, status, note="Progress."):
    return client.post(review.url("action", action.pk), {"status": status, "note": note})


# --- the window -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["lead", "staff", "lead_reviewer"])
def test_service_and_lead_reviewer_add_actions_in_the_window(personas, persona):
    review = final_review(personas, decided_days_ago=10)
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("findings"))
    response = add_action(client, review)

    assert "Add an action" in text(page)
    assert f"You can add actions until {closes_on(10)}." in text(page)
    assert "Action added to the plan." in text(response)
    assert "Rewrite the complaints leaflet with members. Service lead 15 Jan 2030 Open" in table(response, "Actions")
    assert Action.objects.get(description__startswith="Rewrite").created_by == getattr(personas, persona)


def test_the_window_is_open_on_its_last_day(personas):
    review = final_review(personas, decided_days_ago=WINDOW)

    response = add_action(browser_for(personas.staff), review)

    assert "Action added to the plan." in text(response)


def test_after_the_window_adding_is_refused_with_the_date_it_closed(personas):
    review = final_review(personas, decided_days_ago=WINDOW + 1)
    client = browser_for(personas.staff)

    page = client.get(review.url("findings"))
    refused = client.post(review.url("findings"), {
        "add_action": "", "action-description": "Too late.", "action-owner": "Staff", "action-due_date": "2030-01-15",
    })

    assert "Add an action" not in text(page)
    assert f"Actions could be added to this plan until {closes_on(WINDOW + 1)}." in text(page)
    assert refused.status_code == 400
    assert f"The action plan could be added to until {closes_on(WINDOW + 1)}; that window has closed." in text(refused)
    assert not Action.objects.filter(description="Too late.").exists()


def test_no_actions_added_once_the_cycle_is_closed(personas):
    review = final_review(personas)
    review.close()

    response = browser_for(personas.staff).post(review.url("findings"), {
        "add_action": "", "action-description": "Closed.", "action-owner": "Staff", "action-due_date": "2030-01-15",
    })

    assert response.status_code == 404
    assert not Action.objects.filter(description="Closed.").exists()


def test_service_adds_no_actions_before_the_final_report(personas):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    client = browser_for(personas.lead)

    page = client.get(review.url("findings"))
    response = client.post(review.url("findings"), {
        "add_action": "", "action-description": "Early.", "action-owner": "Staff", "action-due_date": "2030-01-15",
    })

    assert "Add an action" not in text(page)
    assert response.status_code == 404
    assert not Action.objects.filter(description="Early.").exists()


@pytest.mark.parametrize("persona", ["member", "reviewer", "commissioner", "admin"])
def test_others_add_no_actions_in_the_window(personas, persona):
    review = final_review(personas)
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("findings"))
    response = client.post(review.url("findings"), {
        "add_action": "", "action-description": "Not mine.", "action-owner": "Staff", "action-due_date": "2030-01-15",
    })

    assert page.status_code in (200, 404)
    assert "Add an action" not in text(page)
    assert response.status_code == 404
    assert not Action.objects.filter(description="Not mine.").exists()


def test_staff_of_another_service_get_404(personas):
    review = final_review(personas)
    cycle = Cycle.objects.create(service=personas.other, edition=review.cycle.edition)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.FINAL)
    Decision.objects.create(cycle=cycle, outcome="awarded", rationale="Met.", recommended=True)
    client = browser_for(personas.staff)

    response = client.post(f"/cycles/{cycle.pk}/findings/", {
        "add_action": "", "action-description": "Elsewhere.", "action-owner": "Staff", "action-due_date": "2030-01-15",
    })

    assert client.get(f"/cycles/{cycle.pk}/findings/").status_code == 404
    assert response.status_code == 404
    assert not Action.objects.filter(description="Elsewhere.").exists()


def test_the_form_keeps_what_was_typed(personas):
    review = final_review(personas)

    response = browser_for(personas.staff).post(review.url("findings"), {
        "add_action": "", "action-description": "Train the night staff in reflective practice.",
        "action-owner": "Deputy manager", "action-due_date": "",
    })

    assert response.status_code == 400
    assert "There is a problem" in text(response)
    form = response.context["action_form"]
    assert form["description"].value() == "Train the night staff in reflective practice."
    assert form["owner"].value() == "Deputy manager"
    assert "Train the night staff in reflective practice." in response.content.decode()
    assert not Action.objects.filter(description__startswith="Train").exists()


# --- progress and verifying -------------------------------------------------------------------


def test_progress_and_verification_of_an_action_added_after_the_report(personas):
    review = final_review(personas)
    add_action(browser_for(personas.staff), review)
    action = Action.objects.get(description__startswith="Rewrite")

    progress = update(browser_for(personas.lead), review, action, ActionStatus.DONE, "Members rewrote it.")
    self_verified = update(browser_for(personas.staff), review, action, ActionStatus.VERIFIED, "We did it.")
    action.refresh_from_db()
    assert (progress.status_code, self_verified.status_code, action.status) == (302, 400, ActionStatus.DONE)

    verified = update(browser_for(personas.lead_reviewer), review, action, ActionStatus.VERIFIED, "Seen it.")

    assert verified.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED


def test_progress_goes_on_after_the_window(personas, today):
    review = final_review(personas, decided_days_ago=WINDOW + 5)
    action = Action.objects.create(cycle=review.cycle, description="From the visit.", owner="Staff", due_date=today)

    response = update(browser_for(personas.staff), review, action, ActionStatus.IN_PROGRESS, "Started.")

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


# --- carried into the next cycle --------------------------------------------------------------


def test_actions_added_after_the_report_carry_into_the_next_cycle(personas):
    review = final_review(personas)
    add_action(browser_for(personas.staff), review, description="Open after the report.")
    add_action(browser_for(personas.lead), review, description="Done after the report.")
    Action.objects.filter(description="Done after the report.").update(status=ActionStatus.VERIFIED)
    review.close()
    next_cycle = Cycle.objects.create(service=personas.home, edition=build_edition(values=4, criteria_per_value=3))

    carry_open_actions(next_cycle)

    [carried] = next_cycle.actions.select_related("carried_from")
    assert carried.description == "Open after the report."
    assert carried.carried_from == Action.objects.get(cycle=review.cycle, description="Open after the report.")
