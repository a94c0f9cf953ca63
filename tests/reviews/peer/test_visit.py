"""The visit: a network administrator plans the day on the visit page and starts the review once
the team is ready; everyone else with access reads the plan, and nobody else sees it."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateformat import format as format_date

from reviews.errors import ReviewError
from reviews.models import Cycle, CycleState, TeamRole, TimetableItem, Visit
from reviews.peer.services import plan_visit
from tests.factories import TeamMemberFactory, UserFactory, VisitFactory
from tests.support.pages import table, text
from tests.support.peer import post_visit, submitted_review, team_of
from tests.support.personas import browser_for, reviewer
from tests.support.reviews import PeerReview, home_cycle


@pytest.fixture
def visit_day(today):
    """A visit a few weeks after the cycle opened (the factories open cycles today)."""
    return today + datetime.timedelta(weeks=6)


# --- planning the day -------------------------------------------------------------------------


def test_visit_plan_saved_by_admin_shows_date_and_notes(personas, visit_day):
    review = submitted_review(personas)

    response = post_visit(browser_for(personas.admin), review, save_visit="", date=visit_day.isoformat(),
                    notes="Meet at reception at 9.15.", independent_ratings="on")

    page = text(response)
    assert "The visit plan is saved." in page
    assert format_date(visit_day, "l j F Y") in page
    assert "Meet at reception at 9.15." in page
    assert "Independent: each reviewer sees the others' ratings only after submitting their own." in page
    visit = Visit.objects.get(cycle=review.cycle)
    assert (visit.date, visit.notes) == (visit_day, "Meet at reception at 9.15.")


def test_visit_plan_without_independent_ratings_lets_reviewers_share(personas, visit_day):
    review = submitted_review(personas)

    response = post_visit(browser_for(personas.admin), review, save_visit="", date=visit_day.isoformat(), notes="")

    assert "Shared: reviewers see each other's ratings as they go." in text(response)
    review.refresh()
    assert review.cycle.independent_ratings is False


def test_visit_independent_ratings_by_default(personas):
    review = submitted_review(personas)

    response = browser_for(personas.admin).get(review.url("visit"))

    assert review.cycle.independent_ratings is True
    assert "Independent: each reviewer sees the others' ratings" in text(response)


def test_visit_timetable_lists_meetings_and_tour_in_time_order(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    for starts, ends, kind, details in [
        ("14:00", "15:00", "leaders", "Service lead and manager"),
        ("10:00", "11:00", "members", "Members only; staff not present"),
        ("12:15", "13:00", "tour", "Led by two members"),
        ("11:15", "12:15", "staff", "Front-line staff, including nights"),
    ]:
        response = post_visit(client, review, add_item="", starts_at=starts, ends_at=ends, kind=kind, details=details)
        assert "Added to the timetable." in text(response)

    assert table(response, "Timetable for the day") == [
        "10:00–11:00 Meeting with members Members only; staff not present Remove Meeting with members 10:00",
        "11:15–12:15 Meeting with staff Front-line staff, including nights Remove Meeting with staff 11:15",
        "12:15–13:00 Tour of the environment Led by two members Remove Tour of the environment 12:15",
        "14:00–15:00 Meeting with leaders Service lead and manager Remove Meeting with leaders 14:00",
    ]


def test_visit_timetable_item_ending_before_it_starts_refused(personas):
    review = submitted_review(personas)

    response = post_visit(browser_for(personas.admin), review, follow=False, add_item="", starts_at="11:00",
                    ends_at="10:00", kind="tour")

    assert response.status_code == 400
    assert "End time: the item must end after it starts." in text(response)
    assert not TimetableItem.objects.exists()


def test_visit_timetable_item_removed(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    post_visit(client, review, add_item="", starts_at="10:00", kind="tour", details="Led by two members")
    item = TimetableItem.objects.get()

    response = post_visit(client, review, remove_item=str(item.pk))

    assert "Removed from the timetable." in text(response)
    assert "Nothing planned yet." in text(response)
    assert not TimetableItem.objects.exists()


def test_visit_timetable_cannot_grow_once_ratings_agreed(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)

    response = post_visit(browser_for(personas.admin), review, add_item="", starts_at="10:00", kind="tour")

    assert response.status_code == 200
    assert "The visit can no longer be changed: the ratings are agreed." in text(response)
    assert not TimetableItem.objects.exists()


# --- starting the review ----------------------------------------------------------------------


def test_start_review_needs_a_lead_reviewer(personas):
    review = submitted_review(personas).build_team(reviewer=TeamRole.PEER_REVIEWER)

    response = post_visit(browser_for(personas.admin), review, start_review="")

    assert "Put a lead reviewer on the team before starting the peer review." in text(response)
    assert review.refresh().cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED


def test_start_review_moves_cycle_to_visit(personas):
    review = submitted_review(personas).build_team()

    response = post_visit(browser_for(personas.admin), review, start_review="")

    assert response.redirect_chain[-1][0] == review.cycle.get_absolute_url()
    assert "The peer review has started. The reviewers can now rate." in text(response)
    assert review.refresh().cycle.state == CycleState.VISIT


def test_start_review_waits_for_self_assessment(personas):
    review = PeerReview(personas).build_team()

    response = browser_for(personas.admin).get(review.url("visit"))
    refused = post_visit(browser_for(personas.admin), review, start_review="")

    assert "Start the peer review" not in text(response)
    assert "The peer review starts once the self-assessment is submitted." in text(refused)
    assert review.refresh().cycle.state == CycleState.OPEN


# --- a visit after the cycle opened -----------------------------------------------------------


def opened_weeks_ago(review, weeks):
    opened = timezone.now() - datetime.timedelta(weeks=weeks)
    Cycle.objects.filter(pk=review.cycle.pk).update(opened_at=opened)
    return timezone.localdate(opened)


def test_visit_date_before_the_cycle_opened_refused_next_to_the_date(personas):
    review = submitted_review(personas)
    opened_on = opened_weeks_ago(review, 4)
    day_before = opened_on - datetime.timedelta(days=1)

    response = post_visit(browser_for(personas.admin), review, follow=False, save_visit="",
                          date=day_before.isoformat(), notes="Meet at reception.")

    assert response.status_code == 400
    message = f"Visit date: the visit cannot be before the review cycle opened, on {format_date(opened_on, 'j F Y')}."
    page = text(response)
    # beside the date, before the next field of the form
    assert message in page[page.index("Change the plan"):page.index("Notes for the team")]
    assert "The visit plan is saved." not in page
    assert not Visit.objects.filter(cycle=review.cycle, date__isnull=False).exists()


def test_visit_on_the_day_the_cycle_opened_is_saved(personas):
    review = submitted_review(personas)
    opened_on = opened_weeks_ago(review, 4)

    response = post_visit(browser_for(personas.admin), review, save_visit="", date=opened_on.isoformat(), notes="")

    assert "The visit plan is saved." in text(response)
    assert Visit.objects.get(cycle=review.cycle).date == opened_on


def test_plan_visit_refuses_a_date_before_the_cycle_opened(personas):
    review = submitted_review(personas)
    opened_on = opened_weeks_ago(review, 2)

    with pytest.raises(ReviewError, match="before the review cycle opened") as refused:
        plan_visit(review.cycle, date=opened_on - datetime.timedelta(weeks=1), notes="", planned_by=personas.admin)

    assert refused.value.field == "date"
    assert not Visit.objects.filter(cycle=review.cycle, date__isnull=False).exists()


def test_plan_visit_keeps_an_earlier_date_it_already_has_when_the_notes_change(personas):
    """A visit dated before this rule keeps its date: only a new date is checked."""
    review = submitted_review(personas)
    VisitFactory(cycle=review.cycle, date=timezone.localdate() - datetime.timedelta(days=3))

    visit = plan_visit(review.cycle, date=timezone.localdate() - datetime.timedelta(days=3), notes="Parking behind.",
                       planned_by=personas.admin)

    assert visit.notes == "Parking behind."


# --- who manages, who reads -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["lead", "staff", "member", "reviewer", "lived_experience_reviewer", "lead_reviewer"])
def test_visit_read_only_for_others_with_access(personas, persona, visit_day):
    review = submitted_review(personas).build_team()
    post_visit(browser_for(personas.admin), review, save_visit="", date=visit_day.isoformat(), notes="Parking on the street.")
    post_visit(browser_for(personas.admin), review, add_item="", starts_at="10:00", kind="members", details="Members only")
    client = browser_for(getattr(personas, persona))

    response = client.get(review.url("visit"))

    page = text(response)
    assert response.status_code == 200
    assert format_date(visit_day, "l j F Y") in page and "Members only" in page
    # The notes are for the review team: the service (staff and members) does not read them.
    assert ("Parking on the street." in page) == (persona in ("reviewer", "lived_experience_reviewer", "lead_reviewer"))
    assert str(personas.lead_reviewer) in page
    for managing in ("Change the plan", "Add to the timetable", "Suggested reviewers", "Remove",
                     "Start the peer review"):
        assert managing not in page
    for data in ({"save_visit": "", "date": (visit_day + datetime.timedelta(days=1)).isoformat(), "notes": ""}, {"start_review": ""},
                 {"add_member": "1", "user": str(personas.outsider.pk), "place": "peer_reviewer"},
                 {"remove_member": str(review.member(personas.reviewer).pk)},
                 {"remove_item": str(TimetableItem.objects.get().pk)}):
        assert client.post(review.url("visit"), data).status_code == 404
    assert Visit.objects.get(cycle=review.cycle).date == visit_day
    assert TimetableItem.objects.count() == 1 and len(team_of(review)) == 3
    assert review.refresh().cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED


@pytest.mark.parametrize("persona", ["commissioner", "outsider", "off_team"])
def test_visit_hidden_from_everyone_else(personas, persona):
    review = submitted_review(personas).build_team()
    person = reviewer("offteam") if persona == "off_team" else getattr(personas, persona)
    client = browser_for(person)

    assert client.get(review.url("visit")).status_code == 404
    assert client.post(review.url("visit"), {"start_review": ""}).status_code == 404
    assert review.refresh().cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED


# --- forms no page would send, and the home page ----------------------------------------------


def test_visit_tampered_remove_member_changes_nothing(personas):
    review = submitted_review(personas).build_team()

    response = post_visit(browser_for(personas.admin), review, remove_member="not-a-number")

    assert response.status_code == 200
    assert len(team_of(review)) == 3


def test_visit_tampered_remove_item_changes_nothing(personas):
    review = submitted_review(personas)
    other_visit = VisitFactory(cycle=home_cycle(personas, state=CycleState.CLOSED))
    item = TimetableItem.objects.create(visit=other_visit, starts_at=datetime.time(10), kind="tour")

    for value in (str(item.pk), "x"):
        response = post_visit(browser_for(personas.admin), review, remove_item=value)
        assert response.status_code == 200
    assert TimetableItem.objects.filter(pk=item.pk).exists()


def test_home_page_lists_my_visits(personas, visit_day):
    review = submitted_review(personas).build_team()
    post_visit(browser_for(personas.admin), review, save_visit="", date=visit_day.isoformat(), notes="")
    other = home_cycle(personas, state=CycleState.CLOSED)
    TeamMemberFactory(visit=VisitFactory(cycle=other), user=UserFactory(username="someoneelse"))

    response = browser_for(personas.lived_experience_reviewer).get("/")

    page = text(response)
    assert "Your peer-review visits" in page
    assert f"Kestrel Wing (lived-experience reviewer), {format_date(visit_day, 'j F Y')}: Self-assessment submitted" in page
    assert page.count("Kestrel Wing (") == 1
