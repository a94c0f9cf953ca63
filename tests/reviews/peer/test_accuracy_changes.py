"""Accuracy that can correct: answering the service's comment on factual accuracy may change the
agreed rating or the finding it is about, with a reason, audited and versioned; the draft report
and the accuracy page show what changed, to those who may see it."""

import pytest
from auditlog.models import LogEntry

from reviews.errors import ReviewError
from reviews.models import AgreedRating, ChangeSource, CycleState, FindingKind, RatingChange
from reviews.peer.queries import decision_for
from reviews.peer.services import record_finding_change, record_rating_change
from tests.support.reviews import PeerReview, criterion, level


def draft(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    review.finding_ = review.finding(FindingKind.DEVELOPMENT, "Night staff miss reflective practice.")
    return review.to(CycleState.REPORT_DRAFT)


def agreed(review, code):
    return AgreedRating.objects.select_related("level").get(cycle=review.cycle, criterion__code=code)


# --- the services others call -----------------------------------------------------------------


def test_record_rating_change_changes_the_agreed_rating_and_keeps_the_old(personas):
    review = draft(personas)
    before = agreed(review, "V2.1")

    change = record_rating_change(
        review.cycle, criterion=criterion(review.cycle, "V2.1"), level=level(review.cycle, "Partly met"),
        not_applicable=False, reason="The rota was not yet in place.", by=personas.admin, source=ChangeSource.ACCURACY,
    )

    after = agreed(review, "V2.1")
    assert (after.level.label, after.version, after.agreed_by) == ("Partly met", before.version + 1, personas.admin)
    assert (change.from_label, change.to_label, change.version, change.reason, change.by) == (
        "Met", "Partly met", after.version, "The rota was not yet in place.", personas.admin,
    )


def test_record_rating_change_to_not_applicable_and_back(personas):
    review = draft(personas)
    v21 = criterion(review.cycle, "V2.1")

    record_rating_change(review.cycle, criterion=v21, level=None, not_applicable=True, reason="No nights here.",
                         by=personas.admin, source=ChangeSource.FOLLOW_UP)
    record_rating_change(review.cycle, criterion=v21, level=level(review.cycle, "Met"), not_applicable=False,
                         reason="Nights after all.", by=personas.admin, source=ChangeSource.FOLLOW_UP)

    assert [(c.from_label, c.to_label, c.version) for c in RatingChange.objects.filter(criterion=v21)] == [
        ("Met", "Not applicable", 2), ("Not applicable", "Met", 3),
    ]


def test_record_rating_change_refuses_no_reason_and_no_change(personas):
    review = draft(personas)
    v21 = criterion(review.cycle, "V2.1")

    with pytest.raises(ReviewError) as no_reason:
        record_rating_change(review.cycle, criterion=v21, level=level(review.cycle, "Not met"), not_applicable=False,
                             reason="  ", by=personas.admin, source=ChangeSource.ACCURACY)
    with pytest.raises(ReviewError) as same:
        record_rating_change(review.cycle, criterion=v21, level=level(review.cycle, "Met"), not_applicable=False,
                             reason="Why not.", by=personas.admin, source=ChangeSource.ACCURACY)

    assert no_reason.value.field == "reason"
    assert same.value.message == (
        "The agreed rating of V2.1 is already Met: choose a different rating, or leave it as it is."
    )
    assert not RatingChange.objects.exists()


def test_record_finding_change_rewords_the_finding(personas):
    review = draft(personas)

    change = record_finding_change(review.finding_, text="Night staff attend reflective practice twice a year.",
                                   reason="The log shows they attend.", by=personas.lead_reviewer,
                                   source=ChangeSource.ACCURACY)

    review.finding_.refresh_from_db()
    assert review.finding_.text == "Night staff attend reflective practice twice a year."
    assert (change.from_text, change.to_text, change.version) == (
        "Night staff miss reflective practice.", "Night staff attend reflective practice twice a year.", 1,
    )
    with pytest.raises(ReviewError):
        record_finding_change(review.finding_, text=review.finding_.text, reason="Again.", by=personas.admin,
                              source=ChangeSource.ACCURACY)


def test_changes_are_audited(personas):
    review = draft(personas)

    record_rating_change(review.cycle, criterion=criterion(review.cycle, "V2.1"), level=level(review.cycle, "Not met"),
                         not_applicable=False, reason="Wrong evidence.", by=personas.admin,
                         source=ChangeSource.ACCURACY)

    models = set(LogEntry.objects.values_list("content_type__model", flat=True))
    assert {"ratingchange", "agreedrating"} <= models


def test_a_changed_rating_changes_the_computed_decision(personas):
    review = draft(personas)
    before = decision_for(review.cycle).overall.percent_met

    record_rating_change(review.cycle, criterion=criterion(review.cycle, "V2.1"), level=level(review.cycle, "Not met"),
                         not_applicable=False, reason="Wrong evidence.", by=personas.admin,
                         source=ChangeSource.ACCURACY)

    assert decision_for(review.cycle).overall.percent_met < before
