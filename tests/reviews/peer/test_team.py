"""The review team: a network administrator builds it on the visit page, with suggestions; nobody
reviews their own service, one they commission, or one they declared a conflict of interest with."""


import pytest

from assurance.models import RoleKind
from reviews.models import ConflictOfInterest, CycleState, TeamRole
from tests.factories import RoleFactory, ServiceFactory, TeamMemberFactory, UserFactory
from tests.support.pages import table, text
from tests.support.peer import add_to_team, post_visit, submitted_review, team_of
from tests.support.personas import browser_for, reviewer
from tests.support.reviews import PeerReview

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

    response = add_to_team(browser_for(personas.admin), review, person, place)

    assert f"{person} is on the team." in text(response)
    assert team_of(review) == {(person.username, place)}
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

    response = add_to_team(browser_for(personas.admin), review, person, place)

    assert f"{person} is not a {role} in the network." in text(response)
    assert team_of(review) == set()


@pytest.mark.parametrize("kind", [RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER, RoleKind.PEER_REVIEWER])
def test_team_refuses_person_from_the_service_under_review(personas, kind):
    """Any role that ties a person to the service makes it their home: a peer reviewer from
    elsewhere who also works in it, uses it, or has it as their home service."""
    review = submitted_review(personas)
    person = reviewer("tied", service=personas.other)
    RoleFactory(user=person, kind=kind, service=personas.home)

    response = add_to_team(browser_for(personas.admin), review, person, TeamRole.PEER_REVIEWER)

    assert f"{person} belongs to Kestrel Wing, and nobody reviews their own service." in text(response)
    assert team_of(review) == set()


def test_team_refuses_person_who_commissions_the_service(personas):
    review = submitted_review(personas)
    person = reviewer("funder", service=personas.other)
    RoleFactory(user=person, kind=RoleKind.COMMISSIONER, service=personas.home)

    response = add_to_team(browser_for(personas.admin), review, person, TeamRole.PEER_REVIEWER)

    assert f"{person} commissions Kestrel Wing, and nobody reviews a service they are tied to." in text(response)
    assert team_of(review) == set()


def test_team_refuses_reviewer_with_declared_conflict_of_interest(personas):
    review = submitted_review(personas)
    declared = browser_for(personas.reviewer).post(
        "/cycles/conflicts-of-interest/", {"service": "kestrel-wing", "reason": "My sister lives there."}, follow=True
    )
    assert "Your conflict of interest is recorded." in text(declared)
    assert f"Kestrel Wing ({personas.home.organisation.name}): My sister lives there." in text(declared)

    response = add_to_team(browser_for(personas.admin), review, personas.reviewer, TeamRole.PEER_REVIEWER)

    assert f"{personas.reviewer} has declared a conflict of interest with Kestrel Wing." in text(response)
    assert team_of(review) == set()


def test_team_has_one_lead_reviewer(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    add_to_team(client, review, personas.lead_reviewer, TeamRole.LEAD_REVIEWER)
    second = reviewer("secondlead", RoleKind.LEAD_REVIEWER)

    response = add_to_team(client, review, second, TeamRole.LEAD_REVIEWER)

    assert "The team already has a lead reviewer. Remove them first to choose another." in text(response)
    assert team_of(review) == {(personas.lead_reviewer.username, TeamRole.LEAD_REVIEWER)}


def test_team_lead_reviewer_replaced_after_removal(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    add_to_team(client, review, personas.lead_reviewer, TeamRole.LEAD_REVIEWER)
    second = reviewer("secondlead", RoleKind.LEAD_REVIEWER)
    member = review.member(personas.lead_reviewer)

    removed = post_visit(client, review, remove_member=str(member.pk))
    response = add_to_team(client, review, second, TeamRole.LEAD_REVIEWER)

    assert f"{personas.lead_reviewer} is no longer on the team." in text(removed)
    assert f"{second} is on the team." in text(response)
    assert team_of(review) == {("secondlead", TeamRole.LEAD_REVIEWER)}


def test_team_same_person_added_twice_refused(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    add_to_team(client, review, personas.reviewer, TeamRole.PEER_REVIEWER)

    response = add_to_team(client, review, personas.reviewer, TeamRole.PEER_REVIEWER)

    assert f"{personas.reviewer} is already on the team." in text(response)
    assert team_of(review) == {(personas.reviewer.username, TeamRole.PEER_REVIEWER)}


@pytest.mark.parametrize("data", [{"user": "", "place": "peer_reviewer"}, {"place": "peer_reviewer"},
                                  {"user": "999999", "place": "peer_reviewer"}, {"user": "USER", "place": "peer_reviewer"},
                                  {"user": "REVIEWER", "place": "service_lead"}])
def test_team_add_without_person_or_place_refused(personas, data):
    review = submitted_review(personas)
    data = {key: str(personas.reviewer.pk) if value == "REVIEWER" else value for key, value in data.items()}

    response = post_visit(browser_for(personas.admin), review, add_member="1", **data)

    assert response.status_code == 200
    assert "Choose a person and a place on the team." in text(response)
    assert team_of(review) == set()


def test_team_member_who_rated_stays(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.rate(personas.reviewer, {"V1.1": "Met"})

    response = post_visit(browser_for(personas.admin), review, remove_member=str(review.member(personas.reviewer).pk))

    assert f"{personas.reviewer} has already rated criteria, so they stay on the team" in text(response)
    assert (personas.reviewer.username, TeamRole.PEER_REVIEWER) in team_of(review)


def test_team_cannot_change_once_ratings_agreed(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = browser_for(personas.admin)
    latecomer = reviewer("latecomer")
    silent = TeamMemberFactory(visit=review.cycle.visit, user=reviewer("silent"))  # never rated
    before = team_of(review)

    added = add_to_team(client, review, latecomer, TeamRole.PEER_REVIEWER)
    removed = post_visit(client, review, remove_member=str(silent.pk))

    assert "The team can no longer change: the ratings are agreed." in text(added)
    assert "The team can no longer change: the ratings are agreed." in text(removed)
    assert team_of(review) == before


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
    assert "Answer “What is the conflict?”" in text(response)
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "lead", "staff", "member", "commissioner", "outsider"])
def test_conflicts_page_only_for_reviewers(personas, persona):
    response = browser_for(getattr(personas, persona)).get("/cycles/conflicts-of-interest/")

    assert response.status_code == 404


# --- suggested reviewers ----------------------------------------------------------------------


def suggested(response, place="Peer reviewer"):
    """The rows of the suggested reviewers' table for this place, in the order shown."""
    return table(response, f"Suggested reviewers: {place}")


def test_suggested_reviewers_leave_out_everyone_tied_to_the_service(personas):
    home = personas.home
    review = submitted_review(personas)
    south_service = ServiceFactory(name="Alder Court")
    reviewer("young", service=south_service, first_name="Ada", last_name="Young")
    moss = UserFactory(username="moss", first_name="Ben", last_name="Moss")
    RoleFactory(user=moss, kind=RoleKind.LEAD_REVIEWER, service=None)  # no home service
    reviewer("baker", RoleKind.LIVED_EXPERIENCE_REVIEWER, service=ServiceFactory(name="Birch Lodge"),
             first_name="Dee", last_name="Baker")
    # Never suggested: from the service or its organisation, commissioning it, with a conflict
    # with it or its organisation, no longer active, already on the team.
    reviewer("ownservice", service=home, last_name="Own")
    reviewer("sameorg", service=ServiceFactory(name="Cedar Unit", organisation=home.organisation), last_name="Sameorg")
    works_there = reviewer("worksthere", service=south_service, last_name="Works")
    RoleFactory(user=works_there, kind=RoleKind.STAFF, service=home)
    funder = reviewer("funder", service=south_service, last_name="Funder")
    RoleFactory(user=funder, kind=RoleKind.COMMISSIONER, service=home)
    conflicted = reviewer("conflicted", service=south_service, last_name="Conflicted")
    ConflictOfInterest.objects.create(user=conflicted, service=home, reason="Worked there.")
    whole = reviewer("wholeorg", service=south_service, last_name="Wholeorg")
    ConflictOfInterest.objects.create(user=whole, organisation=home.organisation, reason="Worked for them.")
    gone = reviewer("gone", service=south_service, last_name="Gone")
    gone.is_active = False
    gone.save()
    on_team = reviewer("onteam", service=south_service, last_name="Onteam")
    add_to_team(browser_for(personas.admin), review, on_team, TeamRole.PEER_REVIEWER)

    response = browser_for(personas.admin).get(review.url("visit"))

    rows = {place: suggested(response, place) for place in ("Lead reviewer", "Peer reviewer",
                                                            "Lived-experience reviewer")}
    assert any(row.startswith("Ada Young ") for row in rows["Peer reviewer"])
    assert any(row.startswith("Ben Moss ") for row in rows["Lead reviewer"])
    assert any(row.startswith("Dee Baker ") for row in rows["Lived-experience reviewer"])
    every_row = [row for place_rows in rows.values() for row in place_rows]
    for never in ("Own", "Sameorg", "Works", "Funder", "Conflicted", "Wholeorg", "Gone", "Onteam",
                  str(personas.staff)):
        assert not any(never in row for row in every_row)


def test_suggested_reviewer_added_with_offered_place(personas):
    review = submitted_review(personas)
    client = browser_for(personas.admin)
    page = client.get(review.url("visit"))
    [row] = [row for row in suggested(page, "Lead reviewer") if str(personas.lead_reviewer) in row]
    assert row.endswith(f"Add {personas.lead_reviewer}, lead reviewer")

    add_to_team(client, review, personas.lead_reviewer, TeamRole.LEAD_REVIEWER)

    after = client.get(review.url("visit"))
    assert suggested(after, "Lead reviewer") == []
    assert "The team has its lead reviewer." in text(after)


def test_suggested_reviewers_not_shown_to_service(personas):
    review = submitted_review(personas)

    response = browser_for(personas.lead).get(review.url("visit"))

    assert suggested(response) == []
    assert "Suggested reviewers" not in text(response)
    assert str(personas.reviewer) not in text(response)
