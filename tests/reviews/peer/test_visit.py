"""The visit and its team: a network administrator plans the day and builds the team on the visit
page; nobody reviews their own service or one they declared a conflict of interest with."""

import datetime

import pytest

from assurance.models import RoleKind
from reviews.models import ConflictOfInterest, CycleState, TeamMember, TeamRole, TimetableItem, Visit
from tests.assurance.pages import text
from tests.factories import RegionFactory, RoleFactory, ServiceFactory, UserFactory
from tests.reviews.factories import TeamMemberFactory, VisitFactory
from tests.reviews.peer_factories import PeerReview, reviewer, table
from tests.reviews.wizard import browser_for, home_cycle


def submitted_review(personas):
    return PeerReview(personas).submit_self_assessment()


def post(client, review, follow=True, **data):
    return client.post(review.url("visit"), data, follow=follow)


def team(review):
    return {(m.user.username, m.role) for m in TeamMember.objects.filter(visit__cycle=review.cycle).select_related("user")}


def add(client, review, person, place):
    return post(client, review, add_member="1", user=str(person.pk), place=place)


# --- planning the day -------------------------------------------------------------------------


def test_visit_plan_saved_by_admin_shows_date_and_notes(personas):
    review = submitted_review(personas)

    response = post(browser_for(personas.admin), review, save_visit="", date="2026-05-04",
                    notes="Meet at reception at 9.15.", independent_ratings="on")

    page = text(response)
    assert "The visit plan is saved." in page
    assert "Monday 4 May 2026" in page
    assert "Meet at reception at 9.15." in page
    assert "Independent: each reviewer sees the others' ratings only after submitting their own." in page
    visit = Visit.objects.get(cycle=review.cycle)
    assert (visit.date, visit.notes) == (datetime.date(2026, 5, 4), "Meet at reception at 9.15.")


def test_visit_plan_without_independent_ratings_lets_reviewers_share(personas):
    review = submitted_review(personas)

    response = post(browser_for(personas.admin), review, save_visit="", date="2026-05-04", notes="")

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
        response = post(client, review, add_item="", starts_at=starts, ends_at=ends, kind=kind, details=details)
        assert "Added to the timetable." in text(response)

    assert table(response, "Timetable for the day") == [
        "10:00–11:00 Meeting with members Members only; staff not present Remove Meeting with members 10:00",
        "11:15–12:15 Meeting with staff Front-line staff, including nights Remove Meeting with staff 11:15",
        "12:15–13:00 Tour of the environment Led by two members Remove Tour of the environment 12:15",
        "14:00–15:00 Meeting with leaders Service lead and manager Remove Meeting with leaders 14:00",
    ]


def test_visit_timetable_item_ending_before_it_starts_refused(personas):
    review = submitted_review(personas)

    response = post(browser_for(personas.admin), review, follow=False, add_item="", starts_at="11:00",
                    ends_at="10:00", kind="tour")

    assert response.status_code == 400
    assert "The item must end after it starts." in text(response)
    assert not TimetableItem.objects.exists()


def test_visit_timetable_item_removed(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    post(client, review, add_item="", starts_at="10:00", kind="tour", details="Led by two members")
    item = TimetableItem.objects.get()

    response = post(client, review, remove_item=str(item.pk))

    assert "Removed from the timetable." in text(response)
    assert "Nothing planned yet." in text(response)
    assert not TimetableItem.objects.exists()


def test_visit_timetable_cannot_grow_once_ratings_agreed(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)

    response = post(browser_for(personas.admin), review, add_item="", starts_at="10:00", kind="tour")

    assert response.status_code == 200
    assert "The visit can no longer be changed: the ratings are agreed." in text(response)
    assert not TimetableItem.objects.exists()


# --- building the team ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "place", "label"),
    [
        ("reviewer", TeamRole.PEER_REVIEWER, "Peer reviewer"),
        ("lived_experience_reviewer", TeamRole.LIVED_EXPERIENCE_REVIEWER, "Lived-experience reviewer"),
        ("lead_reviewer", TeamRole.LEAD_REVIEWER, "Lead reviewer"),
    ],
)
def test_team_member_added_in_their_place(personas, persona, place, label):
    review = submitted_review(personas)
    person = getattr(personas, persona)

    response = add(browser_for(personas.admin), review, person, place)

    assert f"{person} is on the team." in text(response)
    assert team(review) == {(person.username, place)}
    assert f"{person} {label} Not submitted" in table(response, "Review team")[0]


@pytest.mark.parametrize(
    ("persona", "place", "role"),
    [
        ("reviewer", TeamRole.LEAD_REVIEWER, "lead reviewer"),
        ("reviewer", TeamRole.LIVED_EXPERIENCE_REVIEWER, "lived-experience reviewer"),
        ("lived_experience_reviewer", TeamRole.PEER_REVIEWER, "peer reviewer"),
        ("lead_reviewer", TeamRole.PEER_REVIEWER, "peer reviewer"),
        ("staff", TeamRole.PEER_REVIEWER, "peer reviewer"),
        ("outsider", TeamRole.LEAD_REVIEWER, "lead reviewer"),
    ],
)
def test_team_place_must_match_reviewer_role(personas, persona, place, role):
    review = submitted_review(personas)
    person = getattr(personas, persona)

    response = add(browser_for(personas.admin), review, person, place)

    assert f"{person} is not a {role} in the network." in text(response)
    assert team(review) == set()


@pytest.mark.parametrize("kind", [RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER, RoleKind.PEER_REVIEWER])
def test_team_refuses_person_from_the_service_under_review(personas, kind):
    """Any role that ties a person to the service makes it their home: a peer reviewer from
    elsewhere who also works in it, uses it, or has it as their home service."""
    review = submitted_review(personas)
    person = reviewer("tied", service=personas.other)
    RoleFactory(user=person, kind=kind, service=personas.home)

    response = add(browser_for(personas.admin), review, person, TeamRole.PEER_REVIEWER)

    assert f"{person} belongs to Kestrel Wing, and nobody reviews their own service." in text(response)
    assert team(review) == set()


def test_team_refuses_person_who_commissions_the_service(personas):
    review = submitted_review(personas)
    person = reviewer("funder", service=personas.other)
    RoleFactory(user=person, kind=RoleKind.COMMISSIONER, service=personas.home)

    response = add(browser_for(personas.admin), review, person, TeamRole.PEER_REVIEWER)

    assert f"{person} commissions Kestrel Wing, and nobody reviews a service they are tied to." in text(response)
    assert team(review) == set()


def test_team_refuses_reviewer_with_declared_conflict_of_interest(personas):
    review = submitted_review(personas)
    declared = browser_for(personas.reviewer).post(
        "/cycles/conflicts-of-interest/", {"service": "kestrel-wing", "reason": "My sister lives there."}, follow=True
    )
    assert "Your conflict of interest is recorded." in text(declared)
    assert "Kestrel Wing : My sister lives there." in text(declared)

    response = add(browser_for(personas.admin), review, personas.reviewer, TeamRole.PEER_REVIEWER)

    assert f"{personas.reviewer} has declared a conflict of interest with Kestrel Wing." in text(response)
    assert team(review) == set()


def test_team_has_one_lead_reviewer(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    add(client, review, personas.lead_reviewer, TeamRole.LEAD_REVIEWER)
    second = reviewer("secondlead", RoleKind.LEAD_REVIEWER)

    response = add(client, review, second, TeamRole.LEAD_REVIEWER)

    assert "The team already has a lead reviewer. Remove them first to choose another." in text(response)
    assert team(review) == {(personas.lead_reviewer.username, TeamRole.LEAD_REVIEWER)}


def test_team_lead_reviewer_replaced_after_removal(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    add(client, review, personas.lead_reviewer, TeamRole.LEAD_REVIEWER)
    second = reviewer("secondlead", RoleKind.LEAD_REVIEWER)
    member = review.member(personas.lead_reviewer)

    removed = post(client, review, remove_member=str(member.pk))
    response = add(client, review, second, TeamRole.LEAD_REVIEWER)

    assert f"{personas.lead_reviewer} is no longer on the team." in text(removed)
    assert f"{second} is on the team." in text(response)
    assert team(review) == {("secondlead", TeamRole.LEAD_REVIEWER)}


def test_team_same_person_added_twice_refused(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    add(client, review, personas.reviewer, TeamRole.PEER_REVIEWER)

    response = add(client, review, personas.reviewer, TeamRole.PEER_REVIEWER)

    assert f"{personas.reviewer} is already on the team." in text(response)
    assert team(review) == {(personas.reviewer.username, TeamRole.PEER_REVIEWER)}


@pytest.mark.parametrize("data", [{"user": "", "place": "peer_reviewer"}, {"place": "peer_reviewer"},
                                  {"user": "999999", "place": "peer_reviewer"}, {"user": "USER", "place": "peer_reviewer"},
                                  {"user": "REVIEWER", "place": "service_lead"}])
def test_team_add_without_person_or_place_refused(personas, data):
    review = submitted_review(personas)
    data = {key: str(personas.reviewer.pk) if value == "REVIEWER" else value for key, value in data.items()}

    response = post(browser_for(personas.admin), review, add_member="1", **data)

    assert response.status_code == 200
    assert "Choose a person and a place on the team." in text(response)
    assert team(review) == set()


def test_team_member_who_rated_stays(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.rate(personas.reviewer, {"V1.1": "Met"})

    response = post(browser_for(personas.admin), review, remove_member=str(review.member(personas.reviewer).pk))

    assert f"{personas.reviewer} has already rated criteria, so they stay on the team" in text(response)
    assert (personas.reviewer.username, TeamRole.PEER_REVIEWER) in team(review)


def test_team_cannot_change_once_ratings_agreed(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = browser_for(personas.admin)
    latecomer = reviewer("latecomer")
    silent = TeamMemberFactory(visit=review.cycle.visit, user=reviewer("silent"))  # never rated
    before = team(review)

    added = add(client, review, latecomer, TeamRole.PEER_REVIEWER)
    removed = post(client, review, remove_member=str(silent.pk))

    assert "The team can no longer change: the ratings are agreed." in text(added)
    assert "The team can no longer change: the ratings are agreed." in text(removed)
    assert team(review) == before


def test_reviewer_cannot_declare_conflict_with_service_they_review(personas):
    review = PeerReview(personas).submit_self_assessment().build_team()

    response = browser_for(personas.reviewer).post(
        "/cycles/conflicts-of-interest/", {"service": "kestrel-wing", "reason": "I used to work there."}, follow=True
    )

    assert "You are on the team for Kestrel Wing's current review." in text(response)
    assert not ConflictOfInterest.objects.exists()
    assert review.member(personas.reviewer)


def test_conflict_of_interest_needs_a_reason(personas):
    response = browser_for(personas.reviewer).post(
        "/cycles/conflicts-of-interest/", {"service": "kestrel-wing", "reason": ""}
    )

    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "lead", "staff", "member", "commissioner", "outsider"])
def test_conflicts_page_only_for_reviewers(personas, persona):
    response = browser_for(getattr(personas, persona)).get("/cycles/conflicts-of-interest/")

    assert response.status_code == 404


# --- starting the review ----------------------------------------------------------------------


def test_start_review_needs_a_lead_reviewer(personas):
    review = submitted_review(personas).build_team(reviewer=TeamRole.PEER_REVIEWER)

    response = post(browser_for(personas.admin), review, start_review="")

    assert "Put a lead reviewer on the team before starting the peer review." in text(response)
    assert review.refresh().cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED


def test_start_review_moves_cycle_to_visit(personas):
    review = submitted_review(personas).build_team()

    response = post(browser_for(personas.admin), review, start_review="")

    assert response.redirect_chain[-1][0] == review.cycle.get_absolute_url()
    assert "The peer review has started. The reviewers can now rate." in text(response)
    assert review.refresh().cycle.state == CycleState.VISIT


def test_start_review_waits_for_self_assessment(personas):
    review = PeerReview(personas).build_team()

    response = browser_for(personas.admin).get(review.url("visit"))
    refused = post(browser_for(personas.admin), review, start_review="")

    assert "Start the peer review" not in text(response)
    assert "The peer review starts once the self-assessment is submitted." in text(refused)
    assert review.refresh().cycle.state == CycleState.OPEN


# --- who manages, who reads -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["lead", "staff", "member", "reviewer", "lived_experience_reviewer", "lead_reviewer"])
def test_visit_read_only_for_others_with_access(personas, persona):
    review = submitted_review(personas).build_team()
    post(browser_for(personas.admin), review, save_visit="", date="2026-05-04", notes="Parking on the street.")
    post(browser_for(personas.admin), review, add_item="", starts_at="10:00", kind="members", details="Members only")
    client = browser_for(getattr(personas, persona))

    response = client.get(review.url("visit"))

    page = text(response)
    assert response.status_code == 200
    assert "Monday 4 May 2026" in page and "Parking on the street." in page and "Members only" in page
    assert str(personas.lead_reviewer) in page
    for managing in ("Change the plan", "Add to the timetable", "Suggested reviewers", "Remove",
                     "Start the peer review"):
        assert managing not in page
    for data in ({"save_visit": "", "date": "2026-06-01", "notes": ""}, {"start_review": ""},
                 {"add_member": "1", "user": str(personas.outsider.pk), "place": "peer_reviewer"},
                 {"remove_member": str(review.member(personas.reviewer).pk)},
                 {"remove_item": str(TimetableItem.objects.get().pk)}):
        assert client.post(review.url("visit"), data).status_code == 404
    assert Visit.objects.get(cycle=review.cycle).date == datetime.date(2026, 5, 4)
    assert TimetableItem.objects.count() == 1 and len(team(review)) == 3
    assert review.refresh().cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED


@pytest.mark.parametrize("persona", ["commissioner", "outsider", "off_team"])
def test_visit_hidden_from_everyone_else(personas, persona):
    review = submitted_review(personas).build_team()
    person = reviewer("offteam") if persona == "off_team" else getattr(personas, persona)
    client = browser_for(person)

    assert client.get(review.url("visit")).status_code == 404
    assert client.post(review.url("visit"), {"start_review": ""}).status_code == 404
    assert review.refresh().cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED


# --- suggested reviewers ----------------------------------------------------------------------


def suggested(response):
    """The rows of the suggested reviewers' table, in the order shown."""
    return table(response, "Suggested reviewers")


def test_suggested_reviewers_other_region_first_then_fewest_visits(personas):
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    home = personas.home
    home.region = north
    home.save()
    review = submitted_review(personas)
    south_service = ServiceFactory(name="Alder Court", region=south)
    north_service = ServiceFactory(name="Birch Lodge", region=north)
    young = reviewer("young", service=south_service, first_name="Ada", last_name="Young")
    moss = UserFactory(username="moss", first_name="Ben", last_name="Moss")
    RoleFactory(user=moss, kind=RoleKind.LEAD_REVIEWER, service=None)  # no home service, so no region
    abbott = reviewer("abbott", service=south_service, first_name="Cal", last_name="Abbott")
    reviewer("baker", RoleKind.LIVED_EXPERIENCE_REVIEWER, service=north_service, first_name="Dee",
                     last_name="Baker")
    # Visits under way count; finished ones do not.
    for state in (CycleState.VISIT, CycleState.OPEN):
        TeamMemberFactory(visit=VisitFactory(cycle__state=state), user=abbott)
    TeamMemberFactory(visit=VisitFactory(cycle__state=CycleState.REPORT_DRAFT), user=moss, role=TeamRole.LEAD_REVIEWER)
    for state in (CycleState.FINAL, CycleState.CLOSED, CycleState.CLOSED):
        TeamMemberFactory(visit=VisitFactory(cycle__state=state), user=young)
    # Never suggested: from the service, with a conflict, no longer active, already on the team.
    reviewer("ownservice", service=home, last_name="Own")
    works_there = reviewer("worksthere", service=south_service, last_name="Works")
    RoleFactory(user=works_there, kind=RoleKind.STAFF, service=home)
    funder = reviewer("funder", service=south_service, last_name="Funder")
    RoleFactory(user=funder, kind=RoleKind.COMMISSIONER, service=home)
    conflicted = reviewer("conflicted", service=south_service, last_name="Conflicted")
    ConflictOfInterest.objects.create(user=conflicted, service=home, reason="Worked there.")
    gone = reviewer("gone", service=south_service, last_name="Gone")
    gone.is_active = False
    gone.save()
    on_team = reviewer("onteam", service=south_service, last_name="Onteam")
    add(browser_for(personas.admin), review, on_team, TeamRole.PEER_REVIEWER)

    response = browser_for(personas.admin).get(review.url("visit"))

    rows = suggested(response)
    mine = [row for row in rows if any(name in row for name in ("Ada Young", "Ben Moss", "Cal Abbott", "Dee Baker"))]
    assert mine == [
        "Ada Young Alder Court (South) other region 0 Peer reviewer – Ada Young",
        "Ben Moss No home service other region 1 Lead reviewer – Ben Moss",
        "Cal Abbott Alder Court (South) other region 2 Peer reviewer – Cal Abbott",
        "Dee Baker Birch Lodge (North) 0 Lived-experience reviewer – Dee Baker",
    ]
    for never in ("Own", "Works", "Funder", "Conflicted", "Gone", "Onteam", str(personas.staff)):
        assert not any(never in row for row in rows)


def test_suggested_reviewer_added_with_offered_place(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    page = client.get(review.url("visit"))
    [row] = [row for row in suggested(page) if str(personas.lead_reviewer) in row]
    assert "Lead reviewer" in row

    add(client, review, personas.lead_reviewer, TeamRole.LEAD_REVIEWER)

    assert not [row for row in suggested(client.get(review.url("visit"))) if str(personas.lead_reviewer) in row]


def test_suggested_reviewers_not_shown_to_service(personas):
    review = submitted_review(personas)

    response = browser_for(personas.lead).get(review.url("visit"))

    assert suggested(response) == []
    assert str(personas.reviewer) not in text(response)


def test_visit_tampered_remove_member_changes_nothing(personas):
    review = submitted_review(personas).build_team()

    response = post(browser_for(personas.admin), review, remove_member="not-a-number")

    assert response.status_code == 200
    assert len(team(review)) == 3


def test_visit_tampered_remove_item_changes_nothing(personas):
    review = submitted_review(personas)
    other_visit = VisitFactory(cycle=home_cycle(personas, state=CycleState.CLOSED))
    item = TimetableItem.objects.create(visit=other_visit, starts_at=datetime.time(10), kind="tour")

    for value in (str(item.pk), "x"):
        response = post(browser_for(personas.admin), review, remove_item=value)
        assert response.status_code == 200
    assert TimetableItem.objects.filter(pk=item.pk).exists()


def test_home_page_lists_my_visits(personas):
    review = submitted_review(personas).build_team()
    post(browser_for(personas.admin), review, save_visit="", date="2026-05-04", notes="")
    other = home_cycle(personas, state=CycleState.CLOSED)
    TeamMemberFactory(visit=VisitFactory(cycle=other), user=UserFactory(username="someoneelse"))

    response = browser_for(personas.lived_experience_reviewer).get("/")

    page = text(response)
    assert "Your peer-review visits" in page
    assert "Kestrel Wing (lived-experience reviewer), 4 May 2026: Self-assessment submitted" in page
    assert page.count("Kestrel Wing (") == 1
