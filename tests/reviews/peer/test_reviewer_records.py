"""Reviewers' records: the network administrators' list of reviewers and each one's record, a
reviewer's own record with the times they cannot visit, and the reciprocity ledger."""

import datetime

import pytest
from django.utils import timezone

from assurance.models import ReviewerRecord, RoleKind, Unavailability
from reviews.models import CycleState, TeamRole
from reviews.peer.ledger import reciprocity_ledger
from tests.factories import CycleFactory, RoleFactory, ServiceFactory, TeamMemberFactory, VisitFactory
from tests.support.pages import counted, table, text
from tests.support.personas import browser_for, reviewer

REVIEWERS = "/cycles/reviewers/"
OWN = "/cycles/your-reviewer-record/"
LEDGER = "/cycles/reviewers/reciprocity/"


def days(n):
    """n days from today, read when the test runs (not when the module is collected)."""
    return timezone.localdate() + datetime.timedelta(days=n)


def when(day):
    return f"{day.day} {day:%B %Y}"


# --- the reviewers' page ----------------------------------------------------------------------


def test_the_reviewers_page_shows_each_reviewers_record(personas):
    ReviewerRecord.objects.create(user=personas.reviewer, trained_on=days(-100), vetting="Enhanced DBS",
                                  vetting_expires_on=days(42))
    ReviewerRecord.objects.create(user=personas.lead_reviewer, vetting="Prison vetting", vetting_expires_on=days(-3))
    Unavailability.objects.create(user=personas.reviewer, starts_on=days(10), ends_on=days(14), note="Leave")
    Unavailability.objects.create(user=personas.reviewer, starts_on=days(-20), ends_on=days(-15), note="Over")
    done = VisitFactory(cycle__state=CycleState.CLOSED, date=days(-400))
    TeamMemberFactory(visit=done, user=personas.reviewer)
    too_old = VisitFactory(cycle__state=CycleState.CLOSED, date=days(-4 * 365))
    TeamMemberFactory(visit=too_old, user=personas.reviewer)

    rows = table(browser_for(personas.admin).get(REVIEWERS), "Reviewers")

    willow = personas.reviewer.roles.get().service
    [sam] = [row for row in rows if row.startswith(str(personas.reviewer))]
    assert sam == (f"{personas.reviewer} Peer reviewer Willow Ward ({willow.organisation.name}) "
                   f"{when(days(-100))} Enhanced DBS, expires in 6 weeks ({when(days(42))}) "
                   f"{when(days(10))} to {when(days(14))} (Leave) 1")
    [lead] = [row for row in rows if row.startswith(str(personas.lead_reviewer))]
    assert "not trained" in lead and f"Prison vetting, expired on {when(days(-3))}" in lead
    [chris] = [row for row in rows if row.startswith(str(personas.lived_experience_reviewer))]
    assert "No vetting recorded" in chris and "None ahead" in chris
    assert not any(str(personas.staff) in row for row in rows)


@pytest.mark.parametrize("persona", ["lead", "staff", "member", "reviewer", "lead_reviewer", "commissioner",
                                     "outsider"])
def test_only_network_administrators_see_the_reviewers(personas, persona):
    client = browser_for(getattr(personas, persona))

    assert client.get(REVIEWERS).status_code == 404
    assert client.get(f"{REVIEWERS}{personas.reviewer.pk}/").status_code == 404
    assert client.get(LEDGER).status_code == 404
    assert client.post(f"{REVIEWERS}{personas.reviewer.pk}/", {
        "save_record": "", "trained_on": "2026-01-05", "vetting": "", "vetting_expires_on": "", "notes": ""
    }).status_code == 404
    assert not ReviewerRecord.objects.exists()


def test_the_reviewers_page_costs_the_same_for_3_and_30_reviewers(personas):
    client = browser_for(personas.admin)
    small, _page = counted(client, REVIEWERS)

    for n in range(27):
        person = reviewer(f"extra{n}", RoleKind.LEAD_REVIEWER if n % 2 else RoleKind.PEER_REVIEWER)
        ReviewerRecord.objects.create(user=person, trained_on=days(-n))
        Unavailability.objects.create(user=person, starts_on=days(n), ends_on=days(n + 2))
        TeamMemberFactory(visit=VisitFactory(cycle__state=CycleState.FINAL, date=days(-n)), user=person)
    large, response = counted(client, REVIEWERS)

    assert len(table(response, "Reviewers")) == 30
    assert small == large, f"{small} queries for 3 reviewers, {large} for 30"


def test_an_administrator_keeps_a_reviewers_record(personas):
    client = browser_for(personas.admin)
    address = f"{REVIEWERS}{personas.reviewer.pk}/"

    client.post(address, {"save_record": "", "trained_on": days(-10).isoformat(), "vetting": "Prison vetting",
                          "vetting_expires_on": days(400).isoformat(), "notes": "Prefers North West visits."})
    client.post(address, {"add_unavailable": "", "starts_on": days(5).isoformat(), "ends_on": days(9).isoformat(),
                          "note": "Training course"})
    page = text(client.get(address))

    record = ReviewerRecord.objects.get(user=personas.reviewer)
    assert (record.trained_on, record.vetting, record.vetting_expires_on) == (days(-10), "Prison vetting", days(400))
    assert f"Completed on {when(days(-10))}" in page
    assert f"Prison vetting, valid until {when(days(400))}" in page
    assert "Training course" in page


def test_vetting_needs_a_name_when_it_has_an_expiry(personas):
    response = browser_for(personas.admin).post(f"{REVIEWERS}{personas.reviewer.pk}/", {
        "save_record": "", "trained_on": "", "vetting": "", "vetting_expires_on": days(40).isoformat(), "notes": ""})

    assert response.status_code == 400
    assert "Vetting or security clearance: say which, as it has an expiry date." in text(response)
    assert not ReviewerRecord.objects.exists()


def test_someone_without_a_reviewer_role_has_no_record_page(personas):
    assert browser_for(personas.admin).get(f"{REVIEWERS}{personas.staff.pk}/").status_code == 404


# --- a reviewer's own record ------------------------------------------------------------------


def test_a_reviewer_adds_and_removes_a_time_unavailable(personas):
    client = browser_for(personas.reviewer)

    added = client.post(OWN, {"add_unavailable": "", "starts_on": days(20).isoformat(),
                              "ends_on": days(27).isoformat(), "note": "Annual leave"}, follow=True)

    assert "The time unavailable is recorded." in text(added)
    assert table(added, "Times unavailable") == [f"{when(days(20))} {when(days(27))} Annual leave Remove "
                                                 f"{when(days(20))}"]
    period = Unavailability.objects.get(user=personas.reviewer)

    removed = client.post(OWN, {"remove_unavailable": str(period.pk)}, follow=True)

    assert "The time unavailable is removed." in text(removed)
    assert not Unavailability.objects.exists()


def test_until_before_from_is_refused_next_to_until(personas):
    response = browser_for(personas.reviewer).post(OWN, {
        "add_unavailable": "", "starts_on": days(20).isoformat(), "ends_on": days(19).isoformat(), "note": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == ["Until: the last day cannot be before the first."]
    assert "Until: the last day cannot be before the first." in text(response)
    assert not Unavailability.objects.exists()


@pytest.mark.parametrize(("starts_on", "ends_in_days", "message"), [
    ("", None, "Enter the first day you cannot visit (From)"),
    ("soon", 3, "From: enter a real date, like 2 December 2026"),
])
def test_bad_dates_are_named(personas, starts_on, ends_in_days, message):
    ends_on = "" if ends_in_days is None else days(ends_in_days).isoformat()
    response = browser_for(personas.reviewer).post(OWN, {
        "add_unavailable": "", "starts_on": starts_on, "ends_on": ends_on, "note": ""})

    assert response.status_code == 400
    assert message in text(response)


def test_a_reviewer_cannot_remove_someone_elses_time_unavailable(personas):
    theirs = Unavailability.objects.create(user=personas.lead_reviewer, starts_on=days(1), ends_on=days(2))

    response = browser_for(personas.reviewer).post(OWN, {"remove_unavailable": str(theirs.pk)})

    assert response.status_code == 404
    assert Unavailability.objects.filter(pk=theirs.pk).exists()


def test_a_reviewer_sees_their_training_and_vetting_but_not_the_networks_notes(personas):
    ReviewerRecord.objects.create(user=personas.reviewer, trained_on=days(-30), vetting="Enhanced DBS",
                                  notes="Private note for the network.")

    page = text(browser_for(personas.reviewer).get(OWN))

    assert f"Completed on {when(days(-30))}" in page
    assert "Enhanced DBS, no expiry date" in page
    assert "Visits in the last 3 years 0" in page
    assert "Private note" not in page


@pytest.mark.parametrize("persona", ["admin", "lead", "staff", "member", "commissioner", "outsider"])
def test_only_reviewers_have_a_reviewer_record_page(personas, persona):
    assert browser_for(getattr(personas, persona)).get(OWN).status_code == 404


# --- the reciprocity ledger -------------------------------------------------------------------


def test_the_ledger_counts_visits_given_and_received(personas):
    elm = personas.other
    sam = reviewer("sam", service=elm)
    RoleFactory(user=sam, kind=RoleKind.STAFF, service=elm)  # two roles at Elm House: still one place each
    for state in (CycleState.VISIT, CycleState.FINAL, CycleState.CLOSED):
        TeamMemberFactory(visit=VisitFactory(cycle__state=state), user=sam)
    TeamMemberFactory(visit=VisitFactory(cycle__state=CycleState.SELF_ASSESSMENT_SUBMITTED), user=sam)  # not yet
    for state in (CycleState.CLOSED, CycleState.CLOSED, CycleState.OPEN):  # the open one had no visit yet
        CycleFactory(service=personas.home, state=state)

    rows = {row.service.name: row for row in reciprocity_ledger()}

    assert (rows["Elm House"].given, rows["Elm House"].received, rows["Elm House"].balance) == (3, 0, 3)
    assert (rows["Kestrel Wing"].given, rows["Kestrel Wing"].received, rows["Kestrel Wing"].balance) == (0, 2, -2)
    assert rows["Kestrel Wing"].sentence() == "Kestrel Wing has received 2 visits and given 0"


def test_the_ledger_page_puts_services_that_owe_visits_first(personas):
    CycleFactory(service=personas.home, state=CycleState.FINAL)
    giver = reviewer("giver", service=personas.other)
    TeamMemberFactory(visit=VisitFactory(cycle__state=CycleState.FINAL), user=giver)

    rows = table(browser_for(personas.admin).get(LEDGER), "Visits given and received per service")

    assert rows[0].startswith("Kestrel Wing ") and rows[0].endswith("0 1 -1 owes visits")
    assert rows[-1].startswith("Elm House ") and rows[-1].endswith("1 0 +1")


def test_the_ledger_page_costs_the_same_for_few_and_many_services(personas):
    client = browser_for(personas.admin)
    small, _page = counted(client, LEDGER)
    for n in range(20):
        service = ServiceFactory(name=f"Ledger service {n}")
        CycleFactory(service=service, state=CycleState.CLOSED)
        TeamMemberFactory(visit=VisitFactory(cycle__state=CycleState.CLOSED), user=reviewer(f"r{n}", service=service),
                          role=TeamRole.PEER_REVIEWER)
    large, _page = counted(client, LEDGER)

    assert small == large


# --- where people find these pages ------------------------------------------------------------


def test_the_administrators_home_has_a_reviewers_card_naming_vetting_that_runs_out(personas):
    ReviewerRecord.objects.create(user=personas.reviewer, vetting="Prison vetting", vetting_expires_on=days(20))
    ReviewerRecord.objects.create(user=personas.lead_reviewer, vetting="Enhanced DBS", vetting_expires_on=days(400))

    home = browser_for(personas.admin).get("/")
    page = home.content.decode()

    assert "1 reviewer's vetting has expired or expires within three months" in text(home)
    assert f'href="{REVIEWERS}"' in page and f'href="{LEDGER}"' in page


def test_a_reviewers_home_links_their_own_record_and_nobody_elses_home_does(personas):
    assert f'href="{OWN}"' in browser_for(personas.reviewer).get("/").content.decode()
    assert f'href="{OWN}"' not in browser_for(personas.lead).get("/").content.decode()
    assert f'href="{REVIEWERS}"' not in browser_for(personas.commissioner).get("/").content.decode()
