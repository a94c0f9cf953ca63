"""Suggested reviewers on the visit page: per place, only people who may take it, best first
(available on the visit day, trained, from a service that has received more visits than it gave,
fewest visits in the last year), each with the reasons in a line and a button that adds them."""

import datetime

import pytest
from django.utils import timezone

from assurance.models import ReviewerRecord, RoleKind, Unavailability
from reviews.models import CycleState, TeamRole
from tests.factories import CycleFactory, ServiceFactory, TeamMemberFactory, VisitFactory
from tests.support.pages import counted, table, text
from tests.support.peer import add_to_team, post_visit, submitted_review, team_of
from tests.support.personas import browser_for, reviewer


def days(n):
    """n days from today, read when the test runs (not when the module is collected)."""
    return timezone.localdate() + datetime.timedelta(days=n)


def visit_day():
    return days(60)


def suggested(response, place="Peer reviewer"):
    """The rows of the place's suggestions, the first few and then the rest, in the order shown."""
    return table(response, f"Suggested reviewers: {place}") + table(response, f"Suggested reviewers: {place} (more)")


def planned_review(personas):
    review = submitted_review(personas)
    post_visit(browser_for(personas.admin), review, save_visit="1", date=visit_day().isoformat(), notes="")
    return review


def trained(person, **vetting):
    ReviewerRecord.objects.create(user=person, trained_on=days(-200), **vetting)
    return person


def visits_done(person, n, ago=100):
    for _ in range(n):
        TeamMemberFactory(visit=VisitFactory(cycle__state=CycleState.CLOSED, date=days(-ago)), user=person)


@pytest.fixture
def field(personas):
    """Five peer reviewers from five services, one of each kind the ranking tells apart."""
    review = planned_review(personas)
    names = {}
    for key, last in [("away", "Away"), ("untrained", "Untrained"), ("owed", "Owed"), ("fresh", "Fresh"),
                      ("busy", "Busy")]:
        names[key] = reviewer(key, service=ServiceFactory(name=f"{last} House"), first_name="Rev", last_name=last)
    for key in ("away", "owed", "fresh", "busy"):
        trained(names[key])
    Unavailability.objects.create(user=names["away"], starts_on=days(58), ends_on=visit_day(), note="Leave")
    owed_home = names["owed"].roles.get().service
    for _ in range(3):
        CycleFactory(service=owed_home, state=CycleState.CLOSED)
    visits_done(names["owed"], 1, ago=500)  # given 1, received 3; not in the last year
    visits_done(names["busy"], 2)
    return review, names


def mine(rows, names):
    last_names = {person.last_name for person in names.values()}
    return [row.split(" ")[1] for row in rows if row.split(" ")[1] in last_names]


def test_suggestions_rank_available_then_trained_then_owed_then_least_busy(personas, field):
    review, names = field

    rows = suggested(browser_for(personas.admin).get(review.url("visit")))

    assert mine(rows, names) == ["Owed", "Fresh", "Busy", "Untrained", "Away"]


def test_each_suggestion_says_why(personas, field):
    review, names = field
    ReviewerRecord.objects.filter(user=names["owed"]).update(vetting="Enhanced DBS", vetting_expires_on=days(700))

    rows = suggested(browser_for(personas.admin).get(review.url("visit")))

    by_name = {row.split(" ")[1]: row for row in rows}
    assert by_name["Owed"] == (f"Rev Owed Trained · vetted until {days(700).year} · Owed House has received 3 visits "
                               "and given 1 · 0 visits in the last year · another region Add Rev Owed, peer reviewer")
    assert by_name["Away"].startswith(f"Rev Away unavailable Unavailable {days(58).day} {days(58):%B %Y} to "
                                      f"{visit_day().day} {visit_day():%B %Y} · Trained")
    assert "Not trained" in by_name["Untrained"]
    assert "2 visits in the last year" in by_name["Busy"]


def test_the_add_button_puts_the_suggestion_on_the_team(personas, field):
    review, names = field
    client = browser_for(personas.admin)

    response = client.post(review.url("visit"), {"add_member": "", "user": str(names["owed"].pk),
                                                 "place": TeamRole.PEER_REVIEWER}, follow=True)

    assert "Rev Owed is on the team." in text(response)
    assert ("owed", TeamRole.PEER_REVIEWER) in team_of(review)
    assert "Owed" not in mine(suggested(response), names)


def test_each_place_lists_only_people_with_its_role(personas):
    review = submitted_review(personas)

    response = browser_for(personas.admin).get(review.url("visit"))

    assert [row.split(" Add ")[0].split(" Not trained")[0] for row in suggested(response, "Lead reviewer")] == [
        str(personas.lead_reviewer)]
    assert [row.split(" Not trained")[0] for row in suggested(response, "Lived-experience reviewer")] == [
        str(personas.lived_experience_reviewer)]


def test_a_secure_setting_suggests_only_people_vetted_for_the_visit_day(personas):
    personas.home.is_secure_setting = True
    personas.home.save()
    review = planned_review(personas)
    vetted = trained(reviewer("vetted", service=ServiceFactory(), first_name="Val", last_name="Vetted"),
                     vetting="Prison vetting", vetting_expires_on=days(400))
    trained(reviewer("lapsing", service=ServiceFactory(), first_name="Lou", last_name="Lapsing"),
            vetting="Prison vetting", vetting_expires_on=days(30))
    trained(reviewer("unvetted", service=ServiceFactory(), first_name="Una", last_name="Unvetted"))

    response = browser_for(personas.admin).get(review.url("visit"))

    rows = suggested(response)
    assert [row.split(" Trained")[0] for row in rows] == [str(vetted)]
    assert "only people whose vetting is valid on the visit day are listed" in text(response)


def test_the_visit_page_costs_the_same_for_3_and_30_reviewers(personas):
    review = planned_review(personas)
    client = browser_for(personas.admin)
    small, _page = counted(client, review.url("visit"))

    for n in range(27):
        kind = [RoleKind.PEER_REVIEWER, RoleKind.LEAD_REVIEWER, RoleKind.LIVED_EXPERIENCE_REVIEWER][n % 3]
        person = trained(reviewer(f"extra{n}", kind, service=ServiceFactory()))
        Unavailability.objects.create(user=person, starts_on=visit_day(), ends_on=visit_day())
        visits_done(person, 1)
    add_to_team(client, review, personas.reviewer, TeamRole.PEER_REVIEWER)
    large, response = counted(client, review.url("visit"))

    assert small == large, f"{small} queries with 3 reviewers, {large} with 30"
    assert sum(len(group.suggestions) for group in response.context["team_advice"].places) == 29
