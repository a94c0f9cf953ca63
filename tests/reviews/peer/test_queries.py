"""The peer-review pages run a fixed number of queries, however many criteria, reviewers, ratings,
findings, actions, comments and candidate reviewers there are."""

import datetime

import pytest
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import (
    AccuracyComment,
    Action,
    ActionNote,
    ActionStatus,
    AgreedRating,
    ConflictOfInterest,
    Cycle,
    CycleState,
    Decision,
    DecisionOutcome,
    Finding,
    FindingKind,
    PeerRating,
    Perspective,
    SelfRating,
    TeamMember,
    TeamRole,
    TimetableItem,
    TimetableKind,
)
from tests.factories import (
    EvidenceFactory,
    MemberResponseFactory,
    RegionFactory,
    RoleFactory,
    ServiceFactory,
    TeamMemberFactory,
    VisitFactory,
    build_edition,
)
from tests.support.pages import counted, text
from tests.support.personas import browser_for, reviewer
from tests.support.reviews import home_cycle

MOST_QUERIES = 25
SMALL = {"values": 2, "per_value": 5, "reviewers": 1, "extras": 1}  # 10 criteria, the lead alone
LARGE = {"values": 6, "per_value": 10, "reviewers": 6, "extras": 15}  # 60 criteria, six reviewers


def sized_review(personas, state, values, per_value, reviewers, extras):
    """A review of the home service at `state`: every criterion answered by staff with evidence, and
    members' responses to every member question (`extras` + 4 of them, and a members' meeting's), rated by every reviewer (levels, N/A and abstentions), half of them agreed, with
    `extras` timetable items, findings, actions (carried over, one with notes), accuracy comments
    and reviewers not on the team. It is long because it builds each of those in turn."""
    edition = build_edition(values=values, criteria_per_value=per_value)
    earlier = home_cycle(personas, edition=edition, state=CycleState.CLOSED)
    cycle = home_cycle(personas, edition=edition)
    criteria = list(edition.criteria.order_by("value__order", "order"))
    levels = list(edition.levels.order_by("value"))
    evidence = [EvidenceFactory(cycle=cycle, added_by=personas.staff) for _ in range(extras)]
    answers = SelfRating.objects.bulk_create(
        SelfRating(cycle=cycle, criterion=c, perspective=Perspective.STAFF, level=levels[i % 3],
                   narrative=f"Answer {i}.", version=1, updated_by=personas.staff)
        for i, c in enumerate(criteria)
    )
    questions = [c for c in criteria if c.rated_by != "staff"]
    for n in range(extras + 4):
        MemberResponseFactory(cycle=cycle, answers={q: ("yes", "sometimes", "no")[n % 3] for q in questions})
    MemberResponseFactory(cycle=cycle, channel="group", group_size=6, answers={q: "yes" for q in questions})
    SelfRating.evidence.through.objects.bulk_create(
        SelfRating.evidence.through(selfrating_id=a.pk, evidence_id=e.pk) for a in answers for e in evidence
    )
    visit = VisitFactory(cycle=cycle, date=datetime.date(2026, 5, 4), notes="Meet at reception.")
    TimetableItem.objects.bulk_create(
        TimetableItem(visit=visit, starts_at=datetime.time(9 + i % 8, 0), kind=TimetableKind.values[i % 9],
                      details=f"Item {i}") for i in range(extras)
    )
    people = [(personas.lead_reviewer, TeamRole.LEAD_REVIEWER), (personas.reviewer, TeamRole.PEER_REVIEWER),
              (personas.lived_experience_reviewer, TeamRole.LIVED_EXPERIENCE_REVIEWER)]
    people += [(reviewer(f"extra{n}"), TeamRole.PEER_REVIEWER) for n in range(max(0, reviewers - 3))]
    team = [TeamMemberFactory(visit=visit, user=user, role=role, ratings_submitted_at=timezone.now())
            for user, role in people[:reviewers]]
    for n in range(extras):  # reviewers who might still join
        reviewer(f"spare{cycle.pk}-{n}", RoleKind.PEER_REVIEWER)
    PeerRating.objects.bulk_create(
        PeerRating(team_member=m, criterion=c, level=None if (i + j) % 7 in (5, 6) else levels[(i + j) % 3],
                   not_applicable=(i + j) % 7 == 5, abstained=(i + j) % 7 == 6,
                   abstain_reason="Not seen." if (i + j) % 7 == 6 else "", comment=f"Comment {i}/{j}.", version=1)
        for j, m in enumerate(team) for i, c in enumerate(criteria)
    )
    AgreedRating.objects.bulk_create(
        AgreedRating(cycle=cycle, criterion=c, level=None if i % 5 == 4 else levels[i % 3], not_applicable=i % 5 == 4,
                     rationale=f"Rationale {i}.", agreed_by=personas.lead_reviewer, version=1)
        for i, c in enumerate(criteria) if i % 2 == 0 or state != CycleState.VISIT
    )
    findings = Finding.objects.bulk_create(
        Finding(cycle=cycle, kind=FindingKind.values[i % 3], text=f"Finding {i}.", criterion=criteria[i % len(criteria)],
                created_by=personas.lead_reviewer, acknowledged_by=personas.admin if i % 2 else None,
                acknowledged_at=timezone.now() if i % 2 else None)
        for i in range(extras)
    )
    old_actions = Action.objects.bulk_create(
        Action(cycle=earlier, description=f"Old action {i}.", owner="Manager", due_date=datetime.date(2025, 1, 1))
        for i in range(extras)
    )
    actions = Action.objects.bulk_create(
        Action(cycle=cycle, description=f"Action {i}.", owner="Manager", finding=findings[i],
               criterion=criteria[i % len(criteria)], status=ActionStatus.values[i % 4],
               due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=60 * i), carried_from=old_actions[i],
               created_by=personas.lead_reviewer)
        for i in range(extras)
    )
    ActionNote.objects.bulk_create(
        ActionNote(action=actions[0], text=f"Note {i}.", from_status="open", to_status="in_progress",
                   by=(personas.staff, personas.lead, personas.lead_reviewer)[i % 3])
        for i in range(extras)
    )
    AccuracyComment.objects.bulk_create(
        AccuracyComment(cycle=cycle, text=f"Comment {i}.", by=(personas.staff, personas.lead)[i % 2],
                        criterion=criteria[i] if i % 2 else None, finding=None if i % 2 else findings[i],
                        response="Answered." if i % 3 else "", responded_by=personas.lead_reviewer if i % 3 else None,
                        responded_at=timezone.now() if i % 3 else None)
        for i in range(extras)
    )
    if state in (CycleState.FINAL, CycleState.CLOSED):
        Decision.objects.create(cycle=cycle, outcome=DecisionOutcome.AWARDED, rationale="Meets the rule.",
                                recommended=True, percent_met=80, recorded_by=personas.admin,
                                valid_until=datetime.date(2029, 1, 1))
    Cycle.objects.filter(pk=cycle.pk).update(state=state)
    cycle.refresh_from_db()
    cycle.first_action = actions[0]
    return cycle


def grow_network(personas, count):
    """Reviewers all over the network: from other regions and the home one, some with visits under
    way, some with a conflict of interest, some from the home service itself."""
    regions = [RegionFactory() for _ in range(4)] + [personas.home.region]
    for n in range(count):
        service = ServiceFactory(region=regions[n % len(regions)])
        kind = (RoleKind.PEER_REVIEWER, RoleKind.LIVED_EXPERIENCE_REVIEWER, RoleKind.LEAD_REVIEWER)[n % 3]
        person = reviewer(f"candidate{n}", kind, service=service)
        if n % 4 == 0:
            RoleFactory(user=person, kind=RoleKind.PEER_REVIEWER, service=ServiceFactory())
        if n % 5 == 0:
            TeamMemberFactory(visit=VisitFactory(cycle__service=service, cycle__state=CycleState.VISIT), user=person)
        if n % 7 == 0:
            ConflictOfInterest.objects.create(user=person, service=personas.home, reason="Worked there.")
        if n % 11 == 0:
            RoleFactory(user=person, kind=RoleKind.STAFF, service=personas.home)


def close(cycle):
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)


# page: (who looks at it, the stage, its address)
PAGES = {
    "agreement grid": ("lead_reviewer", CycleState.VISIT, lambda c: f"/cycles/{c.pk}/agree/"),
    "agreement grid, flagged only": ("admin", CycleState.VISIT, lambda c: f"/cycles/{c.pk}/agree/?flagged=1"),
    "agree one criterion": ("lead_reviewer", CycleState.VISIT, lambda c: f"/cycles/{c.pk}/agree/V1.3/"),
    "my ratings": ("lead_reviewer", CycleState.VISIT, lambda c: f"/cycles/{c.pk}/review/"),
    "review value": ("lead_reviewer", CycleState.VISIT, lambda c: f"/cycles/{c.pk}/review/V2/"),
    "findings for lead reviewer": ("lead_reviewer", CycleState.RATINGS_AGREED, lambda c: f"/cycles/{c.pk}/findings/"),
    "findings for admin": ("admin", CycleState.REPORT_DRAFT, lambda c: f"/cycles/{c.pk}/findings/"),
    "findings for member": ("member", CycleState.REPORT_DRAFT, lambda c: f"/cycles/{c.pk}/findings/"),
    "action": ("staff", CycleState.REPORT_DRAFT, lambda c: f"/cycles/{c.pk}/actions/{c.first_action.pk}/"),
    "accuracy for staff": ("staff", CycleState.REPORT_DRAFT, lambda c: f"/cycles/{c.pk}/accuracy/"),
    "accuracy for lead reviewer": ("lead_reviewer", CycleState.REPORT_DRAFT, lambda c: f"/cycles/{c.pk}/accuracy/"),
    "decision for admin": ("admin", CycleState.REPORT_DRAFT, lambda c: f"/cycles/{c.pk}/decision/"),
    "decision once final": ("commissioner", CycleState.FINAL, lambda c: f"/cycles/{c.pk}/decision/"),
    "feedback for admin": ("admin", CycleState.FINAL, lambda c: f"/cycles/{c.pk}/feedback/"),
    "visit for admin": ("admin", CycleState.SELF_ASSESSMENT_SUBMITTED, lambda c: f"/cycles/{c.pk}/visit/"),
    "visit for reviewer": ("lead_reviewer", CycleState.VISIT, lambda c: f"/cycles/{c.pk}/visit/"),
}


@pytest.mark.parametrize("view", PAGES)
def test_peer_page_queries_same_for_10_criteria_1_reviewer_and_60_criteria_6_reviewers(personas, view):
    persona, state, url = PAGES[view]
    client = browser_for(getattr(personas, persona))
    small_cycle = sized_review(personas, state, **SMALL)
    small, _response = counted(client, url(small_cycle))
    close(small_cycle)

    large_cycle = sized_review(personas, state, **LARGE)
    large, response = counted(client, url(large_cycle))

    assert small == large, f"{view}: {small} queries for 10 criteria and 1 reviewer, {large} for 60 and 6"
    assert large <= MOST_QUERIES, f"{view}: {large} queries"
    assert "Kestrel Wing" in text(response)


def test_agreement_grid_shows_every_rating_of_the_large_review(personas):
    cycle = sized_review(personas, CycleState.VISIT, **LARGE)

    _count, response = counted(browser_for(personas.lead_reviewer), f"/cycles/{cycle.pk}/agree/")

    rows = response.context["rows"]
    assert len(rows) == 60 and all(len(row.reviews) == 6 for row in rows)
    assert TeamMember.objects.filter(visit__cycle=cycle).count() == 6


def test_visit_page_queries_same_for_small_and_large_network(personas):
    cycle = sized_review(personas, CycleState.SELF_ASSESSMENT_SUBMITTED, **SMALL)
    client = browser_for(personas.admin)
    url = f"/cycles/{cycle.pk}/visit/"
    small, small_page = counted(client, url)

    grow_network(personas, 60)
    large, response = counted(client, url)

    assert small == large, f"{small} queries with a few candidates, {large} with many"
    assert large <= MOST_QUERIES
    suggestions = response.context["team_advice"].places
    assert sum(len(p.suggestions) for p in suggestions) > sum(
        len(p.suggestions) for p in small_page.context["team_advice"].places) + 30
