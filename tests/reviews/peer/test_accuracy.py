"""Factual accuracy: while the report is a draft, the people who run the service comment on an
agreed rating or a finding, and the lead reviewer answers each comment."""

import pytest

from reviews.models import AccuracyComment, CycleState, FindingKind
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview, criterion


def draft(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    review.finding_ = review.finding(FindingKind.DEVELOPMENT, "Night staff miss reflective practice.")
    return review.to(CycleState.REPORT_DRAFT)


def comment(client, review, about, text_="It has run since last spring; the induction records show it."):
    return client.post(review.url("accuracy"), {"add_comment": "", "about": about, "text": text_}, follow=True)


def answer(client, review, accuracy_comment, response="Checked, and corrected."):
    return client.post(review.url("accuracy"), {
        "answer": str(accuracy_comment.pk), f"answer-{accuracy_comment.pk}-response": response,
    }, follow=True)


def stored(review):
    return [
        (c.criterion.code if c.criterion else c.finding.text, c.text, c.by.username, c.response)
        for c in AccuracyComment.objects.filter(cycle=review.cycle).select_related("criterion", "finding", "by")
    ]


@pytest.mark.parametrize("persona", ["lead", "staff"])
def test_service_comments_on_agreed_rating_and_finding(personas, persona):
    review = draft(personas)
    client = browser_for(getattr(personas, persona))

    on_rating = comment(client, review, f"c{criterion(review.cycle, 'V2.1').pk}", "The rating misses the new rota.")
    on_finding = comment(client, review, f"f{review.finding_.pk}", "Nights attended twice last quarter.")

    assert "Your comment is recorded. The lead reviewer will answer it." in text(on_rating)
    page = text(on_finding)
    assert "Agreed rating of V2.1 The rating misses the new rota." in page
    assert "Area for development: Night staff miss reflective practice. Nights attended twice last quarter." in page
    assert page.count("Waiting for the lead reviewer's answer") == 2
    assert stored(review) == [
        ("V2.1", "The rating misses the new rota.", persona, ""),
        ("Night staff miss reflective practice.", "Nights attended twice last quarter.", persona, ""),
    ]


def test_accuracy_page_lists_agreed_ratings(personas):
    review = draft(personas)

    page = text(browser_for(personas.staff).get(review.url("accuracy")))

    assert "V1.1 Statement for V1.1. Met The team weighed every view." in page
    assert "V4.3 Statement for V4.3. Met The team weighed every view." in page


def test_comment_needs_text_and_target(personas):
    review = draft(personas)
    client = browser_for(personas.staff)

    without_text = client.post(review.url("accuracy"), {"add_comment": "", "about": f"f{review.finding_.pk}", "text": ""})
    without_target = client.post(review.url("accuracy"), {"add_comment": "", "about": "", "text": "Wrong."})
    unknown_target = client.post(review.url("accuracy"), {"add_comment": "", "about": "f99999", "text": "Wrong."})

    assert [r.status_code for r in (without_text, without_target, unknown_target)] == [400, 400, 400]
    assert not AccuracyComment.objects.exists()


@pytest.mark.parametrize("persona", ["member", "commissioner", "outsider"])
def test_accuracy_hidden_from_members_and_others(personas, persona):
    review = draft(personas)
    client = browser_for(getattr(personas, persona))

    assert client.get(review.url("accuracy")).status_code == 404
    response = client.post(review.url("accuracy"), {"add_comment": "", "about": f"f{review.finding_.pk}",
                                                    "text": "Wrong."})
    assert response.status_code == 404
    assert not AccuracyComment.objects.exists()


@pytest.mark.parametrize("persona", ["lead_reviewer", "reviewer", "admin"])
def test_review_team_and_admin_read_but_do_not_comment(personas, persona):
    review = draft(personas)
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("accuracy"))
    response = client.post(review.url("accuracy"), {"add_comment": "", "about": f"f{review.finding_.pk}",
                                                    "text": "Wrong."})

    assert page.status_code == 200
    assert "Add a comment" not in text(page)
    assert response.status_code == 404
    assert not AccuracyComment.objects.exists()


def test_lead_reviewer_answers_each_comment(personas):
    review = draft(personas)
    first = review.comment("The rating misses the new rota.", code="V2.1")
    second = review.comment("Nights attended twice.", finding=review.finding_)
    client = browser_for(personas.lead_reviewer)

    page = client.get(review.url("accuracy"))
    response = answer(client, review, first, "Thank you: we checked the rota and the rating stands.")

    assert text(page).count("Save the answer") == 2
    assert "Answer recorded." in text(response)
    assert f"Answer: Thank you: we checked the rota and the rating stands. {personas.lead_reviewer}," in text(response)
    assert text(response).count("Save the answer") == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.response, first.responded_by) == ("Thank you: we checked the rota and the rating stands.",
                                                   personas.lead_reviewer)
    assert second.responded_at is None


def test_answer_needs_words(personas):
    review = draft(personas)
    first = review.comment("The rating misses the new rota.", code="V2.1")

    response = browser_for(personas.lead_reviewer).post(review.url("accuracy"), {
        "answer": str(first.pk), f"answer-{first.pk}-response": "",
    })

    assert response.status_code == 400
    assert "Error: Enter answer" in text(response)
    first.refresh_from_db()
    assert first.responded_at is None


@pytest.mark.parametrize("persona", ["reviewer", "staff", "admin"])
def test_comments_answered_only_by_lead_reviewer(personas, persona):
    review = draft(personas)
    first = review.comment("The rating misses the new rota.", code="V2.1")

    response = browser_for(getattr(personas, persona)).post(review.url("accuracy"), {
        "answer": str(first.pk), f"answer-{first.pk}-response": "Fine.",
    })

    assert response.status_code == 404
    first.refresh_from_db()
    assert first.responded_at is None


@pytest.mark.parametrize("value", ["x", "99999"])
def test_answer_to_unknown_comment_404(personas, value):
    review = draft(personas)

    response = browser_for(personas.lead_reviewer).post(review.url("accuracy"), {"answer": value})

    assert response.status_code == 404


def test_no_comments_before_draft_or_once_final(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    finding = review.finding()
    client = browser_for(personas.staff)

    assert client.get(review.url("accuracy")).status_code == 404

    review.to(CycleState.FINAL)
    page = client.get(review.url("accuracy"))
    response = comment(client, review, f"f{finding.pk}")

    assert page.status_code == 200 and "Add a comment" not in text(page)
    assert response.status_code == 404
    assert not AccuracyComment.objects.exists()
