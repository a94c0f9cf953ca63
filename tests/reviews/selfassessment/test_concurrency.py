"""Two people saving at the same moment, each in their own database session, against a real
PostgreSQL server: nobody's answer is silently overwritten, and nothing is lost or doubled."""

import threading

import pytest
from django.db import connection

from reviews.models import Perspective, SelfRating
from reviews.selfassessment.services import Answer, Conflict, save_answers
from tests.factories import UserFactory
from tests.support.reviews import criterion, levels

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(cycle, *saves):
    """Runs each (person, [Answer, ...]) in its own thread and connection, all released together
    by a barrier. Returns each save's SaveResult, in order."""
    barrier = threading.Barrier(len(saves))
    results = [None] * len(saves)
    errors = []

    def run(index, person, answers):
        try:
            barrier.wait(timeout=10)
            results[index] = save_answers(cycle, Perspective.STAFF, answers, person)
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *save)) for i, save in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a save did not finish"
    assert errors == []
    return results


def test_same_answer_first_saved_by_two_at_once_keeps_one_and_reports_conflict(personas, cycle):
    answered = criterion(cycle, "V1.1")
    not_met, _partly, met = levels(cycle)
    staff_answer = Answer(answered.pk, level_id=met.pk, narrative="Minutes show it every week.")
    lead_answer = Answer(answered.pk, level_id=not_met.pk, narrative="Night staff do not do this yet.")

    results = at_once(cycle, (personas.staff, [staff_answer]), (personas.lead, [lead_answer]))

    assert sorted(len(r.saved) for r in results) == [0, 1]
    assert sorted(len(r.conflicts) for r in results) == [0, 1]
    winner, loser = results if results[0].saved else results[::-1]
    conflict = loser.conflicts[0]
    assert isinstance(conflict, Conflict)
    stored = SelfRating.objects.get()  # one row: nothing doubled
    assert (stored.version, stored.pk) == (1, winner.saved[0].pk)
    assert conflict.current.pk == stored.pk
    assert loser.versions == {answered.pk: 1}
    kept = staff_answer if stored.updated_by == personas.staff else lead_answer
    lost = lead_answer if kept is staff_answer else staff_answer
    assert (stored.level_id, stored.narrative) == (kept.level_id, kept.narrative)
    assert conflict.answer == lost  # what the other person sent comes back to them, not lost


def test_same_stored_answer_changed_by_two_at_once_keeps_one_and_reports_conflict(personas, cycle):
    answered = criterion(cycle, "V1.1")
    not_met, partly, met = levels(cycle)
    save_answers(cycle, Perspective.STAFF, [Answer(answered.pk, level_id=partly.pk, narrative="Draft.")], personas.staff)
    mine = Answer(answered.pk, level_id=met.pk, narrative="Now in every handover.", base_version=1)
    theirs = Answer(answered.pk, level_id=not_met.pk, narrative="Not on nights.", base_version=1)

    results = at_once(cycle, (personas.staff, [mine]), (personas.lead, [theirs]))

    assert sorted(len(r.saved) for r in results) == [0, 1]
    assert sorted(len(r.conflicts) for r in results) == [0, 1]
    stored = SelfRating.objects.get()
    assert stored.version == 2
    assert (stored.level_id, stored.narrative) in {
        (mine.level_id, mine.narrative), (theirs.level_id, theirs.narrative)
    }


def test_different_criteria_of_one_value_saved_at_once_both_kept(personas, cycle):
    first, second = criterion(cycle, "V1.1"), criterion(cycle, "V1.3")
    _not_met, partly, met = levels(cycle)
    staff_answer = Answer(first.pk, level_id=met.pk, narrative="In every handover.")
    lead_answer = Answer(second.pk, level_id=partly.pk, narrative="Mostly; agency cover is the gap.")

    results = at_once(cycle, (personas.staff, [staff_answer]), (personas.lead, [lead_answer]))

    assert [(len(r.saved), len(r.conflicts)) for r in results] == [(1, 0), (1, 0)]
    stored = {
        rating.criterion_id: (rating.level_id, rating.narrative, rating.version, rating.updated_by)
        for rating in SelfRating.objects.all()
    }
    assert stored == {
        first.pk: (met.pk, "In every handover.", 1, personas.staff),
        second.pk: (partly.pk, "Mostly; agency cover is the gap.", 1, personas.lead),
    }


def test_many_people_saving_one_answer_at_once_keep_exactly_one(personas, cycle):
    answered = criterion(cycle, "V2.1")
    # Six different people: a person's own newer save is not a conflict with their own earlier one.
    people = [personas.staff, personas.lead, personas.admin, *UserFactory.create_batch(3)]
    saves = [(person, [Answer(answered.pk, narrative=f"Version from save {i}.")]) for i, person in enumerate(people)]

    results = at_once(cycle, *saves)

    assert sum(len(r.saved) for r in results) == 1
    assert sum(len(r.conflicts) for r in results) == len(people) - 1
    assert SelfRating.objects.filter(criterion=answered).count() == 1
    assert SelfRating.objects.get().version == 1
