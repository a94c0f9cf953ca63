"""The peer review when people act at the same moment, each in their own database session,
against a real PostgreSQL server: reviewers' ratings are never lost or doubled, a reviewer's two
tabs cannot silently overwrite each other, and a criterion gets one agreed rating, not two."""

import threading
import time

import pytest
from django.db import connection

from reviews.cycles.services import open_cycle
from reviews.errors import ReviewError
from reviews.models import AgreedRating, CycleState, PeerRating, TeamRole
from reviews.peer.services import (
    AgreedAnswer,
    PeerAnswer,
    add_team_member,
    agree_rating,
    agree_value,
    plan_visit,
    save_peer_ratings,
    start_peer_review,
    submit_peer_ratings,
)
from tests.factories import build_edition
from tests.support.reviews import levels

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cycle(personas):
    """Kestrel Wing's cycle on a small edition, its peer review under way with a team of three."""
    cycle = open_cycle(
        service=personas.home, edition=build_edition(values=2, criteria_per_value=2), opened_by=personas.admin
    )
    cycle.state = CycleState.SELF_ASSESSMENT_SUBMITTED  # the self-assessment itself is not the point here
    cycle.save(update_fields=["state"])
    plan_visit(cycle, date=None, notes="", planned_by=personas.admin)
    for user, place in (
        (personas.reviewer, TeamRole.PEER_REVIEWER),
        (personas.lived_experience_reviewer, TeamRole.LIVED_EXPERIENCE_REVIEWER),
        (personas.lead_reviewer, TeamRole.LEAD_REVIEWER),
    ):
        add_team_member(cycle, user=user, place=place, added_by=personas.admin)
    return start_peer_review(cycle, started_by=personas.admin)


def place_of(cycle, user):
    return cycle.visit.team.get(user=user)


def criteria(cycle):
    return list(cycle.edition.criteria.order_by("value__order", "order"))


def _slow_reads(execute, sql, params, many, context):
    """Holds every read a moment longer, so that a save which read without the right lock would
    overlap the other's for certain, instead of only now and then."""
    result = execute(sql, params, many, context)
    if sql.lstrip().upper().startswith("SELECT"):
        time.sleep(0.02)
    return result


def at_once(*calls):
    """Runs each call in its own thread and database connection, all released together by a
    barrier. Returns, in order, what each call returned or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            with connection.execute_wrapper(_slow_reads):
                outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - returned to the test, which says what it expects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a call did not finish"
    return outcomes


def test_two_reviewers_saving_the_same_criteria_at_once_both_keep_every_rating(personas, cycle):
    not_met, partly, met = levels(cycle)
    everything = criteria(cycle)
    sam, chris = place_of(cycle, personas.reviewer), place_of(cycle, personas.lived_experience_reviewer)
    sams = [PeerAnswer(c.pk, level_id=met.pk, comment=f"Sam on {c.code}.") for c in everything]
    chris_s = [PeerAnswer(c.pk, level_id=not_met.pk, comment=f"Chris on {c.code}.") for c in everything[:-1]]
    chris_s.append(PeerAnswer(everything[-1].pk, abstained=True, abstain_reason="Not something I saw on the day."))

    outcomes = at_once(lambda: save_peer_ratings(sam, sams), lambda: save_peer_ratings(chris, chris_s))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert [(len(o.saved), o.conflicts) for o in outcomes] == [(4, []), (4, [])]
    stored = {
        (r.team_member_id, r.criterion.code): (r.level_id, r.abstained, r.comment, r.version)
        for r in PeerRating.objects.select_related("criterion")
    }
    expected = {(sam.pk, c.code): (met.pk, False, f"Sam on {c.code}.", 1) for c in everything}
    expected |= {(chris.pk, c.code): (not_met.pk, False, f"Chris on {c.code}.", 1) for c in everything[:-1]}
    expected[(chris.pk, everything[-1].code)] = (None, True, "", 1)
    assert stored == expected  # one rating per reviewer per criterion, nothing lost or doubled
    assert partly.pk not in {level for level, *_rest in stored.values()}


def test_every_reviewer_saving_at_once_keeps_one_rating_each(personas, cycle):
    _not_met, partly, _met = levels(cycle)
    first = criteria(cycle)[0]
    team = list(cycle.visit.team.all())
    calls = [
        (lambda member=member: save_peer_ratings(member, [PeerAnswer(first.pk, level_id=partly.pk, comment=str(member.pk))]))
        for member in team
    ]

    outcomes = at_once(*calls)

    assert [(len(o.saved), o.conflicts) for o in outcomes] == [(1, [])] * len(team)
    assert sorted(PeerRating.objects.filter(criterion=first).values_list("team_member_id", "comment", "version")) == sorted(
        (m.pk, str(m.pk), 1) for m in team
    )


@pytest.mark.parametrize("stored_first", [False, True], ids=["first rating", "changing a stored rating"])
def test_one_reviewer_saving_from_two_tabs_at_once_keeps_one_and_reports_the_other(personas, cycle, stored_first):
    not_met, partly, met = levels(cycle)
    rated = criteria(cycle)[0]
    sam = place_of(cycle, personas.reviewer)
    base = 0
    if stored_first:
        save_peer_ratings(sam, [PeerAnswer(rated.pk, level_id=partly.pk, comment="First impression.")])
        base = 1
    this_tab = PeerAnswer(rated.pk, level_id=met.pk, comment="Seen in the community meeting.", base_version=base)
    that_tab = PeerAnswer(rated.pk, level_id=not_met.pk, comment="Members said otherwise.", base_version=base)

    outcomes = at_once(lambda: save_peer_ratings(sam, [this_tab]), lambda: save_peer_ratings(sam, [that_tab]))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(len(o.saved) for o in outcomes) == [0, 1]
    winner, loser = outcomes if outcomes[0].saved else outcomes[::-1]
    assert winner.conflicts == []
    assert loser.conflicts == [rated.pk]  # reported to the tab that lost, so it can reload and check
    assert loser.versions == {rated.pk: base + 1}
    stored = PeerRating.objects.get()  # one row: nothing doubled
    assert (stored.pk, stored.version) == (winner.saved[0].pk, base + 1)
    kept = this_tab if outcomes[0] is winner else that_tab
    assert (stored.level_id, stored.comment) == (kept.level_id, kept.comment)


def test_saving_in_one_tab_while_submitting_in_another_never_changes_a_submitted_rating(personas, cycle):
    not_met, _partly, met = levels(cycle)
    everything = criteria(cycle)
    sam = place_of(cycle, personas.reviewer)
    save_peer_ratings(sam, [PeerAnswer(c.pk, level_id=met.pk) for c in everything])
    late_change = PeerAnswer(everything[0].pk, level_id=not_met.pk, comment="On second thoughts.", base_version=1)

    saved, submitted = at_once(lambda: save_peer_ratings(sam, [late_change]), lambda: submit_peer_ratings(sam))

    assert not isinstance(submitted, Exception), submitted
    sam.refresh_from_db()
    rating = PeerRating.objects.get(team_member=sam, criterion=everything[0])
    if isinstance(saved, Exception):  # the submission came first: the change is refused, not lost silently
        assert isinstance(saved, ReviewError)
        assert "You have submitted your ratings" in str(saved)
        assert (rating.level_id, rating.version) == (met.pk, 1)
    else:  # the change came first, and is part of what was submitted
        assert [r.pk for r in saved.saved] == [rating.pk]
        assert (rating.level_id, rating.comment, rating.version) == (not_met.pk, "On second thoughts.", 2)
        assert rating.updated_at <= sam.ratings_submitted_at


def test_two_people_agreeing_one_criterion_at_once_record_one_agreed_rating(personas, cycle):
    not_met, partly, _met = levels(cycle)
    agreed = criteria(cycle)[0]

    def agree(person, level, rationale):
        return lambda: agree_rating(
            cycle, criterion=agreed, level=level, not_applicable=False, rationale=rationale,
            agreed_by=person, base_version=0,
        )

    outcomes = at_once(
        agree(personas.lead_reviewer, partly, "Practice differs between day and night shifts."),
        agree(personas.admin, not_met, "Members told us it does not happen."),
    )

    errors = [o for o in outcomes if isinstance(o, Exception)]
    recorded = [o for o in outcomes if isinstance(o, AgreedRating)]
    assert (len(recorded), len(errors)) == (1, 1), outcomes
    assert isinstance(errors[0], ReviewError)
    assert f"Someone else recorded an agreed rating for {agreed.code}" in str(errors[0])
    stored = AgreedRating.objects.get()  # exactly one
    assert (stored.pk, stored.version) == (recorded[0].pk, 1)
    assert (stored.level_id, stored.agreed_by_id) == (recorded[0].level_id, recorded[0].agreed_by_id)
    assert stored.level_id in {not_met.pk, partly.pk}


def test_two_people_agreeing_one_value_at_once_neither_overwrites_the_other(personas, cycle):
    """Two tabs (or the lead and someone else) save the same value's page, both opened with nothing
    agreed: one page's ratings are all saved, the other's are all refused as stale, none mixed."""
    not_met, partly, _met = levels(cycle)
    value_one = [c for c in criteria(cycle) if c.value.order == 1]

    def agree(person, level, rationale):
        answers = [AgreedAnswer(c.pk, level_id=level.pk, rationale=rationale, base_version=0) for c in value_one]
        return lambda: agree_value(cycle, answers=answers, agreed_by=person)

    outcomes = at_once(
        agree(personas.lead_reviewer, partly, "Practice differs between day and night shifts."),
        agree(personas.lead_reviewer, not_met, "Members told us it does not happen."),
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(len(o.saved) for o in outcomes) == [0, len(value_one)]
    winner, loser = outcomes if outcomes[0].saved else outcomes[::-1]
    assert winner.errors == {}
    assert sorted(loser.errors) == sorted(c.pk for c in value_one)
    assert all("Someone else recorded an agreed rating" in e.message for e in loser.errors.values())
    stored = {a.criterion_id: (a.level_id, a.rationale, a.version) for a in AgreedRating.objects.all()}
    assert stored == {a.criterion_id: (a.level_id, a.rationale, 1) for a in winner.saved}
