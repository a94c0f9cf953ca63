"""The award's life: "valid until" and expiry wherever the award is shown (in words, with a mark
that does not rely on colour), and the interim review at mid-term: asked for by an administrator,
written and submitted by the service, read by the lead reviewer or an administrator."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.decisions.services.lifecycle import record_interim_read, request_interim_review, save_interim_update
from reviews.errors import ReviewError
from reviews.models import CycleState, Decision
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def awarded(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    Decision.objects.filter(cycle=review.cycle).update(valid_until=in_days(3 * 365))
    return review.refresh()


def set_valid_until(review, day):
    Decision.objects.filter(cycle=review.cycle).update(valid_until=day)


@pytest.mark.parametrize(("days", "words"), [
    (700, "valid until"),
    (60, "expires in 9 weeks"),
    (10, "expires in 10 days"),
    (-1, "Expired on"),
])
def test_the_award_state_shows_on_the_cycle_page_the_service_page_and_the_portfolio(awarded, days, words):
    set_valid_until(awarded, in_days(days))
    day = in_days(days)
    on = f"{day.day} {day:%B %Y}"
    commissioner = browser_for(awarded.personas.commissioner)
    assert words in text(commissioner.get(awarded.cycle.get_absolute_url()))
    assert on in text(commissioner.get(awarded.cycle.get_absolute_url()))
    assert words in text(commissioner.get(reverse("reports:portfolio")))
    assert words in text(commissioner.get("/"))
    assert words in text(browser_for(awarded.personas.lead).get(awarded.personas.home.get_absolute_url()))


def test_the_interim_review_is_due_at_mid_term_by_default(awarded):
    interim = request_interim_review(awarded.cycle, requested_by=awarded.personas.admin)
    decided = timezone.localdate(awarded.cycle.decision.recorded_at)
    assert abs((interim.due_on - decided).days - (3 * 365) // 2) <= 1


def test_one_interim_review_at_a_time_and_only_for_an_award_with_an_end(awarded):
    request_interim_review(awarded.cycle, requested_by=awarded.personas.admin)
    with pytest.raises(ReviewError, match="already under way"):
        request_interim_review(awarded.cycle, requested_by=awarded.personas.admin)
    set_valid_until(awarded, None)
    awarded.cycle.interim_reviews.all().delete()
    with pytest.raises(ReviewError, match="no end date"):
        request_interim_review(awarded.cycle, requested_by=awarded.personas.admin)


def test_the_service_writes_submits_and_the_lead_reviewer_reads_the_update(awarded):
    page = awarded.url("interim-review")
    admin = browser_for(awarded.personas.admin)
    assert admin.post(page, {"request": "", "due_on": ""}).status_code == 302

    lead = browser_for(awarded.personas.lead)
    refused = lead.post(page, {"submit": "", "base_version": 0, "statement": ""})
    assert refused.status_code == 400
    assert "Say what has changed" in text(refused)
    lead.post(page, {"submit": "", "base_version": 0, "statement": "A new night team joined.",
                     "value-V1": "Members now chair the community meeting."})
    interim = awarded.cycle.interim_reviews.get()
    assert interim.submitted_at is not None
    assert interim.by_value == {"V1": "Members now chair the community meeting."}

    browser_for(awarded.personas.lead_reviewer).post(page, {"read": "", "note": "Good progress on the actions."})
    interim.refresh_from_db()
    assert interim.reviewed_by == awarded.personas.lead_reviewer

    commissioner_sees = text(browser_for(awarded.personas.commissioner).get(page))
    assert "A new night team joined." in commissioner_sees
    assert "Good progress on the actions." in commissioner_sees


def test_an_update_saved_by_someone_else_meanwhile_is_not_overwritten(awarded):
    interim = request_interim_review(awarded.cycle, requested_by=awarded.personas.admin)
    save_interim_update(interim, statement="First", by_value={}, base_version=0, saved_by=awarded.personas.lead)
    with pytest.raises(ReviewError, match="Someone else saved"):
        save_interim_update(interim, statement="Second", by_value={}, base_version=0, saved_by=awarded.personas.staff)


def test_an_unsubmitted_update_is_not_read(awarded):
    interim = request_interim_review(awarded.cycle, requested_by=awarded.personas.admin)
    with pytest.raises(ReviewError, match="not submitted"):
        record_interim_read(interim, note="Read.", read_by=awarded.personas.admin)


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_and_outsiders_do_not_open_the_interim_review(awarded, who):
    assert browser_for(getattr(awarded.personas, who)).get(awarded.url("interim-review")).status_code == 404


def test_only_an_administrator_asks_for_the_interim_review(awarded):
    response = browser_for(awarded.personas.lead).post(awarded.url("interim-review"), {"request": ""})
    assert response.status_code == 404
