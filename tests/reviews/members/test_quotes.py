"""Quoting members in the report: the lead reviewer proposes a quote from what members wrote
(pre-filled, edited so that nobody can be recognised); the service's lead agrees or declines;
nobody else may do either."""

import pytest
from django.urls import reverse

from reviews.errors import ReviewError
from reviews.members.models import MemberQuote
from reviews.members.services import agree_member_quote, decline_member_quote, propose_member_quote
from reviews.models import CycleState
from tests.factories import CycleFactory, MemberQuoteFactory, MemberResponseFactory
from tests.support.pages import messages_on, section, text
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.django_db

WRITTEN = "Dave on the night shift listens to me when I am upset about my sister."
EDITED = "Staff on the night shift listen to me when I am upset."


def page(cycle):
    return reverse("reviews:members", args=[cycle.pk])


@pytest.fixture
def review(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    MemberResponseFactory(cycle=review.cycle, anything_else=WRITTEN)
    return review


def test_the_lead_reviewer_proposes_an_edited_quote_and_the_services_lead_agrees(personas, review, client_for):
    reviewer = client_for(personas.lead_reviewer)
    form_page = reviewer.get(page(review.cycle))
    assert form_page.context["free_text"][0][2].initial["text"] == WRITTEN  # pre-filled, to edit

    response = reviewer.post(page(review.cycle), {"quote-0-text": EDITED, "propose_quote": "0"}, follow=True)

    quote = MemberQuote.objects.get(cycle=review.cycle)
    assert (quote.text, quote.proposed_by, quote.agreed_at) == (EDITED, personas.lead_reviewer, None)
    assert f"{EDITED} Waiting for the service's lead" in section(response, "quotes-heading")

    lead = client_for(personas.lead)
    waiting = lead.get(page(review.cycle))
    assert EDITED in section(waiting, "quotes-heading") and WRITTEN not in waiting.content.decode()
    agreed = lead.post(page(review.cycle), {"agree_quote": quote.pk}, follow=True)

    quote.refresh_from_db()
    assert quote.agreed_by == personas.lead and quote.agreed_at is not None
    assert f"{EDITED} Agreed: in the report" in section(agreed, "quotes-heading")
    assert MemberQuote.objects.filter(cycle=review.cycle, agreed_at__isnull=False).count() == 1


def test_the_services_lead_declines_a_quote_and_may_change_their_mind(personas, review, client_for):
    quote = MemberQuoteFactory(cycle=review.cycle, text=EDITED, proposed_by=personas.lead_reviewer)
    lead = client_for(personas.lead)
    response = lead.post(page(review.cycle), {"decline_quote": quote.pk}, follow=True)
    quote.refresh_from_db()
    assert quote.declined_at is not None and quote.agreed_at is None
    assert "Declined: not in the report" in section(response, "quotes-heading")
    lead.post(page(review.cycle), {"agree_quote": quote.pk})
    quote.refresh_from_db()
    assert quote.agreed_at is not None and quote.declined_at is None


def test_an_empty_quote_is_explained_next_to_its_box(personas, review, client_for):
    response = client_for(personas.lead_reviewer).post(page(review.cycle), {"quote-0-text": "  ", "propose_quote": "0"})
    assert response.status_code == 400
    assert "Write the words you would quote." in text(response)
    assert 'href="#id_quote-0-text"' in response.content.decode()
    assert "<details open>" in response.content.decode()
    assert not MemberQuote.objects.exists()


@pytest.mark.parametrize("name", ["reviewer", "lived_experience_reviewer", "lead", "staff", "member", "admin"])
def test_only_the_lead_reviewer_proposes(personas, review, client_for, name):
    response = client_for(getattr(personas, name)).post(page(review.cycle), {"quote-0-text": EDITED,
                                                                             "propose_quote": "0"})
    assert response.status_code == 404
    assert not MemberQuote.objects.exists()


@pytest.mark.parametrize("name", ["lead_reviewer", "reviewer", "staff", "member", "admin"])
def test_only_the_services_lead_agrees_or_declines(personas, review, client_for, name):
    quote = MemberQuoteFactory(cycle=review.cycle, text=EDITED, proposed_by=personas.lead_reviewer)
    client = client_for(getattr(personas, name))
    assert 'name="agree_quote"' not in client.get(page(review.cycle)).content.decode()
    assert client.post(page(review.cycle), {"agree_quote": quote.pk}).status_code == 404
    assert client.post(page(review.cycle), {"decline_quote": quote.pk}).status_code == 404
    quote.refresh_from_db()
    assert quote.agreed_at is None and quote.declined_at is None


def test_another_cycles_quote_cannot_be_agreed_from_here(personas, review, client_for):
    elsewhere = MemberQuoteFactory(cycle=CycleFactory(service=personas.other, state=CycleState.VISIT))
    response = client_for(personas.lead).post(page(review.cycle), {"agree_quote": elsewhere.pk}, follow=True)
    assert response.status_code == 200 and not messages_on(response)
    elsewhere.refresh_from_db()
    assert elsewhere.agreed_at is None


def test_staff_and_members_see_only_agreed_quotes_once_they_have_the_report(personas, review, client_for):
    def proposed(words):
        return MemberQuoteFactory(cycle=review.cycle, text=words, proposed_by=personas.lead_reviewer)

    agree_member_quote(proposed("Agreed words."), personas.lead)
    decline_member_quote(proposed("Declined words."))
    proposed("Pending words.")
    assert "Agreed words." not in text(client_for(personas.staff).get(page(review.cycle)))  # not before the draft
    review.everyone_rates().agree_everything().finish().send_draft()
    for name in ("staff", "member"):
        words = text(client_for(getattr(personas, name)).get(page(review.cycle)))
        assert "Agreed words." in words, name
        assert "Declined words." not in words and "Pending words." not in words, name


def test_quotes_are_proposed_and_agreed_only_while_findings_are_open(personas):
    cycle = CycleFactory(service=personas.home, state=CycleState.SELF_ASSESSMENT_SUBMITTED)
    with pytest.raises(ReviewError):
        propose_member_quote(cycle, EDITED, personas.lead_reviewer)
    quote = MemberQuoteFactory(cycle=CycleFactory(service=personas.other, state=CycleState.FINAL))
    with pytest.raises(ReviewError):
        agree_member_quote(quote, personas.lead)
    with pytest.raises(ReviewError):
        decline_member_quote(quote)


def test_a_quote_must_say_something_and_stay_short(personas, review):
    with pytest.raises(ReviewError) as empty:
        propose_member_quote(review.cycle, "   ", personas.lead_reviewer)
    with pytest.raises(ReviewError) as long:
        propose_member_quote(review.cycle, "word " * 300, personas.lead_reviewer)
    assert empty.value.field == long.value.field == "text"
