"""The action plan: actions from a finding or a criterion, followed by the service until the lead
reviewer or an administrator verifies them, and carried into the next cycle while still open."""

import datetime

import pytest
from django.utils import timezone

from reviews.errors import ReviewError
from reviews.models import Action, ActionStatus, Cycle, CycleState, FindingKind
from reviews.peer.services.outcomes import add_action as add_action_to_plan
from tests.factories import build_edition
from tests.support.pages import table, text
from tests.support.peer import agreed_review
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview, criterion


def add_action(client, review, description, owner="Deputy manager", due=None, source=""):
    return client.post(review.url("findings"), {
        "add_action": "", "action-description": description, "action-owner": owner,
        "action-due_date": (due or timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "action-source": source,
    }, follow=True)


def update(client, review, action, status, note=""):
    return client.post(review.url("action", action.pk), {"status": status, "note": note})


# --- the action plan --------------------------------------------------------------------------


def test_actions_added_from_finding_or_criterion(personas):
    review = agreed_review(personas)
    finding = review.finding(FindingKind.DEVELOPMENT, "Night staff miss reflective practice.", code="V2.1")
    client = browser_for(personas.lead_reviewer)

    add_action(client, review, "Include night staff in reflective practice.", due=datetime.date(2030, 3, 1),
               source=f"f{finding.pk}")
    response = add_action(client, review, "Rewrite the complaints leaflet with members.", owner="Service lead",
                          due=datetime.date(2030, 1, 15), source=f"c{criterion(review.cycle, 'V3.2').pk}")

    assert "Action added to the plan." in text(response)
    assert table(response, "Actions") == [
        "Rewrite the complaints leaflet with members. (V3.2) Service lead 15 Jan 2030 Open",
        "Include night staff in reflective practice. (V2.1) Deputy manager 1 Mar 2030 Open",
    ]
    from_finding = Action.objects.get(finding=finding)
    assert from_finding.criterion.code == "V2.1"
    assert Action.objects.get(finding=None).criterion.code == "V3.2"


def test_action_needs_owner_and_due_date(personas):
    review = agreed_review(personas)

    response = browser_for(personas.lead_reviewer).post(review.url("findings"), {
        "add_action": "", "action-description": "Do something.", "action-owner": "", "action-due_date": "",
    })

    assert response.status_code == 400
    assert not Action.objects.exists()


def test_action_progress_recorded_by_service(personas):
    review = agreed_review(personas, CycleState.REPORT_DRAFT)
    action = review.action("Include night staff in reflective practice.")
    client = browser_for(personas.staff)

    response = update(client, review, action, ActionStatus.IN_PROGRESS, "Two night staff joined this month.")
    page = client.get(response["Location"])

    assert response["Location"] == review.url("action", action.pk)
    assert "Progress recorded." in text(page)
    assert f"{personas.staff}: In progress Two night staff joined this month." in text(page)
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS

    update(browser_for(personas.lead), review, action, ActionStatus.DONE, "Everyone on nights has attended.")
    note_only = update(client, review, action, ActionStatus.DONE, "The rota now shows it monthly.")
    nothing = update(client, review, action, ActionStatus.DONE, "")

    assert note_only.status_code == 302
    assert nothing.status_code == 400
    assert "Write a progress note or choose a new status." in text(nothing)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert [(n.from_status, n.to_status, n.by) for n in action.notes.all()] == [
        ("open", "in_progress", personas.staff), ("in_progress", "done", personas.lead), ("done", "done", personas.staff),
    ]


@pytest.mark.parametrize("persona", ["lead", "staff"])
def test_action_not_verified_by_service(personas, persona):
    review = agreed_review(personas, CycleState.REPORT_DRAFT)
    action = review.action()
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("action", action.pk))
    response = update(client, review, action, ActionStatus.VERIFIED, "We did it.")

    assert "Verified" not in text(page)
    assert response.status_code == 400
    assert "Status: choose one of the options shown" in text(response)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.parametrize("persona", ["lead_reviewer", "admin"])
def test_action_verified_by_lead_reviewer_or_admin(personas, persona):
    review = agreed_review(personas, CycleState.REPORT_DRAFT)
    action = review.action()
    update(browser_for(personas.staff), review, action, ActionStatus.DONE, "Done on the 3rd.")

    response = update(browser_for(getattr(personas, persona)), review, action, ActionStatus.VERIFIED,
                      "Seen in the rota.")

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED
    refused = update(browser_for(personas.staff), review, action, ActionStatus.IN_PROGRESS, "Reopening.")
    assert "This action is verified, so it is closed." in text(refused)
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED


@pytest.mark.parametrize("persona", ["member", "reviewer", "lived_experience_reviewer"])
def test_action_progress_not_recorded_by_others(personas, persona):
    review = agreed_review(personas, CycleState.REPORT_DRAFT)
    action = review.action()
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("action", action.pk))
    response = update(client, review, action, ActionStatus.DONE, "Done.")

    assert page.status_code == 200
    assert "Record progress" not in text(page)
    assert response.status_code == 404
    assert not action.notes.exists()


def test_action_of_another_cycle_404(personas, today):
    review = agreed_review(personas)
    elsewhere = Action.objects.create(
        cycle=Cycle.objects.create(service=personas.other, edition=review.cycle.edition), description="Elsewhere.",
        owner="Someone", due_date=today,
    )

    assert browser_for(personas.admin).get(review.url("action", elsewhere.pk)).status_code == 404


def test_overdue_actions_stand_out(personas, today):
    review = agreed_review(personas)
    late = review.action("Late and open.", due_date=today - datetime.timedelta(days=1))
    done_late = review.action("Late but done.", due_date=today - datetime.timedelta(days=5))
    review.action("Due today.", due_date=today)
    Action.objects.filter(pk=done_late.pk).update(status=ActionStatus.DONE)
    client = browser_for(personas.lead_reviewer)

    rows = table(client.get(review.url("findings")), "Actions")

    assert [("Overdue" in row) for row in rows] == [False, True, False]
    assert rows[1].startswith("Late and open.")
    assert "Overdue" in text(client.get(review.url("action", late.pk)))
    assert "Overdue" not in text(client.get(review.url("action", done_late.pk)))


# --- carried into the next cycle --------------------------------------------------------------


def test_open_actions_carry_into_next_cycle_linked_to_old(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    still_open = review.action("Still open.", code="V1.1")
    under_way = review.action("Under way.")
    done = review.action("Done.")
    verified = review.action("Verified.")
    review.to(CycleState.FINAL)
    Action.objects.filter(pk=under_way.pk).update(status=ActionStatus.IN_PROGRESS)
    Action.objects.filter(pk=done.pk).update(status=ActionStatus.DONE)
    Action.objects.filter(pk=verified.pk).update(status=ActionStatus.VERIFIED)
    client = browser_for(personas.admin)

    closed = client.post(review.url("decision"), {"close": ""}, follow=True)
    next_edition = build_edition(values=4, criteria_per_value=3)
    opened = client.post("/cycles/open/", {"service": "kestrel-wing", "edition": str(next_edition.pk)}, follow=True)

    assert "The cycle is closed. Open actions will carry into the service's next cycle." in text(closed)
    assert review.refresh().cycle.state == CycleState.CLOSED
    assert "Review cycle opened for Kestrel Wing." in text(opened)
    new_cycle = Cycle.objects.exclude(pk=review.cycle.pk).get(service=personas.home)
    carried = {a.description: a for a in new_cycle.actions.select_related("carried_from", "criterion")}
    assert set(carried) == {"Still open.", "Under way."}
    assert carried["Still open."].carried_from == still_open
    assert carried["Still open."].criterion.edition == next_edition
    assert carried["Still open."].criterion.code == "V1.1"
    assert (carried["Under way."].carried_from, carried["Under way."].status) == (under_way, ActionStatus.IN_PROGRESS)
    year = review.cycle.opened_at.strftime("%Y")
    rows = table(client.get(f"/cycles/{new_cycle.pk}/findings/"), "Actions")
    assert all(f"carried over from {year}" in row for row in rows) and len(rows) == 2
    page = text(client.get(f"/cycles/{new_cycle.pk}/actions/{carried['Still open.'].pk}/"))
    assert f"Carried over From the cycle opened in {review.cycle.opened_at:%B %Y}" in page


def test_actions_carried_only_once(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    review.action("Still open.")
    review.to(CycleState.CLOSED)
    client = browser_for(personas.admin)
    client.post("/cycles/open/", {"service": "kestrel-wing", "edition": str(review.cycle.edition.pk)})
    second = Cycle.objects.exclude(pk=review.cycle.pk).get()
    Cycle.objects.filter(pk=second.pk).update(state=CycleState.CLOSED)

    client.post("/cycles/open/", {"service": "kestrel-wing", "edition": str(review.cycle.edition.pk)})

    third = Cycle.objects.exclude(pk__in=[review.cycle.pk, second.pk]).get()
    [carried] = third.actions.all()
    assert carried.carried_from == second.actions.get()
    assert Action.objects.count() == 3


def test_an_action_carried_over_cannot_be_added_again_in_the_new_plan(personas, today):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    review.action("Include night staff in reflective practice.")
    review.to(CycleState.CLOSED)
    browser_for(personas.admin).post("/cycles/open/", {"service": "kestrel-wing", "edition": str(review.cycle.edition.pk)})
    new_cycle = Cycle.objects.exclude(pk=review.cycle.pk).get(service=personas.home)
    Cycle.objects.filter(pk=new_cycle.pk).update(state=CycleState.RATINGS_AGREED)

    with pytest.raises(ReviewError) as refused:
        add_action_to_plan(new_cycle, description="  include night staff in   reflective practice. ", owner="Deputy",
                           due_date=today, added_by=personas.admin)

    assert refused.value.field == "description"
    assert "already in the plan, carried over from the last review" in refused.value.message
    assert new_cycle.actions.count() == 1


def test_the_same_action_twice_in_one_plan_is_refused_next_to_its_words(personas):
    review = agreed_review(personas)
    client = browser_for(personas.lead_reviewer)
    add_action(client, review, "Hold a house meeting every week.")

    page = add_action(client, review, "Hold a house meeting every week.")

    assert "This action is already in the plan: record progress on it there." in text(page)
    assert review.cycle.actions.count() == 1
