"""The visit pack on paper: for the review team (and administrators) while ratings can be made,
with the timetable, every criterion, the service's answers the reader may see and room to write."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.disclosure import Disclosure, Fact, disclosure
from reviews.models import Cycle, CycleState, TimetableItem
from reviews.reports import visit_pack
from tests.factories import EvidenceFactory
from tests.support.documents import pdf_text, squeezed
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview


def visit_review(personas):
    """The home service's review under way, with staff answers, evidence, members' answers (and
    their words for the reviewers) and a timetable."""
    review = PeerReview(personas)
    answer = review.self_rate("V1.1", "Partly met", narrative="Community meetings are weekly and minuted.")
    answer.evidence.add(EvidenceFactory(cycle=review.cycle, title="Community meeting minutes, March"))
    review.members_answer("V1.2", *["yes"] * 6, "no", anything_else="The night shift never listens to us.")
    review.to(CycleState.VISIT)
    TimetableItem.objects.create(visit=review.cycle.visit, starts_at=datetime.time(9, 30), kind="arrival",
                                 details="Meet at the gatehouse")
    TimetableItem.objects.create(visit=review.cycle.visit, starts_at=datetime.time(11, 0),
                                 ends_at=datetime.time(12, 0), kind="members", details="Wing C day room")
    return review


def pack(client, review):
    return client.get(reverse("reports:visit-pack", args=[review.cycle.pk]))


@pytest.mark.parametrize("persona", ["reviewer", "lead_reviewer", "admin"])
def test_the_pack_has_the_timetable_every_criterion_and_the_staff_answers(personas, persona):
    review = visit_review(personas)

    response = pack(browser_for(getattr(personas, persona)), review)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kestrel-wing-visit-pack.pdf"'
    words = pdf_text(response.content)
    assert "Visit pack" in words and "Kestrel Wing" in words
    assert "09:30 Arrival and introductions Meet at the gatehouse" in words
    assert "11:00–12:00 Meeting with members Wing C day room" in words
    for code in review.cycle.edition.criteria.values_list("code", flat=True):
        assert code in words
    assert "Staff say: Partly met Community meetings are weekly and minuted." in words
    assert "Evidence: Community meeting minutes, March" in words
    assert "My rating (circle one): Met Partly met Not met N/A" in words
    assert squeezed(f"{personas.lead_reviewer.get_full_name() or personas.lead_reviewer.username}, lead reviewer") in (
        squeezed(words))


def test_the_pack_shows_the_members_counts_but_never_their_words(personas):
    review = visit_review(personas)

    for persona in ("reviewer", "admin"):
        words = pdf_text(pack(browser_for(getattr(personas, persona)), review).content)
        assert "Members say: Yes 6 · Sometimes 0 · No 1 (n=7)" in words
        assert "night shift never listens" not in words


def test_the_pack_shows_only_what_the_reader_may_see(personas, monkeypatch):
    review = visit_review(personas)

    def without_staff_words(user, cycle):
        seen = disclosure(user, cycle)
        return Disclosure(seen.facts - {Fact.STAFF_WORDS, Fact.STAFF_EVIDENCE, Fact.STAFF_RATINGS, Fact.MEMBER_COUNTS})

    monkeypatch.setattr(visit_pack, "disclosure", without_staff_words)
    words = pdf_text(pack(browser_for(personas.reviewer), review).content)

    assert "V1.1" in words
    assert "Community meetings are weekly" not in words
    assert "Community meeting minutes" not in words
    assert "Partly met Community" not in words
    assert "Yes 6" not in words
    assert "Not shown to you" in words


@pytest.mark.parametrize("persona", ["commissioner", "member", "outsider", "staff", "lead"])
def test_nobody_off_the_team_gets_the_pack(personas, persona):
    review = visit_review(personas)

    assert pack(browser_for(getattr(personas, persona)), review).status_code == 404


def test_the_team_prints_the_pack_before_the_visit_and_keeps_it_after(personas):
    """Reviewers print the pack the day before they go in; after the visit it is their record."""
    review = PeerReview(personas).submit_self_assessment().build_team()
    client = browser_for(personas.reviewer)
    assert pack(client, review).status_code == 200

    review.start().to(CycleState.RATINGS_AGREED)

    assert pack(client, review).status_code == 200


def test_the_pack_is_linked_from_the_review_and_visit_pages(personas):
    review = visit_review(personas)
    client = browser_for(personas.reviewer)
    address = reverse("reports:visit-pack", args=[review.cycle.pk])

    assert address in client.get(review.url("review")).content.decode()
    assert address in client.get(review.url("visit")).content.decode()
    assert address not in browser_for(personas.lead).get(review.url("visit")).content.decode()


def test_the_pack_is_read_in_a_bounded_number_of_queries(personas):
    review = visit_review(personas)
    cycle = review.cycle

    with CaptureQueriesContext(connection) as few:
        visit_pack.visit_pack_data(Cycle.objects.get(pk=cycle.pk), personas.reviewer)
    for code in ("V2.1", "V3.1", "V4.1"):
        review.self_rate(code, "Met").evidence.add(EvidenceFactory(cycle=cycle), EvidenceFactory(cycle=cycle))
    review.members_answer("V2.2", *["yes"] * 8)
    with CaptureQueriesContext(connection) as more:
        visit_pack.visit_pack_data(Cycle.objects.get(pk=cycle.pk), personas.reviewer)

    assert len(more) == len(few) <= 25
