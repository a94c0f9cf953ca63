"""Accuracy that can correct: answering the service's comment on factual accuracy may change the
agreed rating or the finding it is about, with a reason, audited and versioned; the draft report
and the accuracy page show what changed, to those who may see it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from reviews.disclosure import disclosure
from reviews.errors import ReviewError
from reviews.models import AgreedRating, ChangeSource, CycleState, Finding, FindingKind, RatingChange
from reviews.peer.queries import changes_of, decision_for
from reviews.peer.services import (
    Correction,
    answer_accuracy_comment,
    record_finding_change,
    record_rating_change,
)
from reviews.reports.data import service_report_data
from reviews.reports.disclosed import for_reader
from tests.support.documents import download, pdf_text, squeezed
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview, criterion, level, settled_review


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


# --- the lead reviewer answers, and changes ---------------------------------------------------


def answer(client, review, comment, response="Checked: the log shows it.", **fields):
    data = {"answer": str(comment.pk), f"answer-{comment.pk}-response": response,
            f"answer-{comment.pk}-seen_response": comment.response}
    data.update({f"answer-{comment.pk}-{name}": value for name, value in fields.items()})
    return client.post(review.url("accuracy"), data, follow=True)


def rating_fields(review, code, label):
    current = agreed(review, code)
    choice = "na" if label == "Not applicable" else str(level(review.cycle, label).pk)
    return {"rating": choice, "seen_version": str(current.version)}


def test_answer_changes_the_agreed_rating(personas):
    review = draft(personas)
    comment = review.comment("The rota started after the visit.", code="V2.1")
    before = agreed(review, "V2.1")
    percent_before = decision_for(review.cycle).overall.percent_met

    response = answer(browser_for(personas.lead_reviewer), review, comment, "You are right: the rota came later.",
                      **rating_fields(review, "V2.1", "Partly met"))

    page = text(response)
    assert "Answer recorded, and the agreed rating of V2.1 changed." in page
    assert "The agreed rating of V2.1 changed from Met to Partly met." in page
    assert (f"What changed after the draft report What From To Why Who and when Agreed rating of V2.1 "
            f"The service's comment on factual accuracy Met Partly met You are right: the rota came later. "
            f"{personas.lead_reviewer}, ") in page
    after = agreed(review, "V2.1")
    assert (after.level.label, after.version, after.agreed_by) == ("Partly met", before.version + 1,
                                                                  personas.lead_reviewer)
    change = RatingChange.objects.get()
    assert (change.source, change.accuracy_comment, change.from_label, change.to_label, change.reason, change.by,
            change.version) == (ChangeSource.ACCURACY, comment, "Met", "Partly met",
                                "You are right: the rota came later.", personas.lead_reviewer, after.version)
    assert decision_for(review.cycle).overall.percent_met < percent_before
    assert LogEntry.objects.get_for_object(change).exists()
    assert LogEntry.objects.get_for_object(after).filter(action=LogEntry.Action.UPDATE).exists()


def test_answer_keeping_the_rating_changes_nothing(personas):
    review = draft(personas)
    comment = review.comment("The rota started after the visit.", code="V2.1")

    response = answer(browser_for(personas.lead_reviewer), review, comment, "The rating stands.",
                      **rating_fields(review, "V2.1", "Met"))

    assert "Answer recorded." in text(response)
    assert not RatingChange.objects.exists()
    assert agreed(review, "V2.1").version == 1


def test_answer_changes_the_finding(personas):
    review = draft(personas)
    comment = review.comment("Nights attend twice a year.", finding=review.finding_)

    response = answer(browser_for(personas.lead_reviewer), review, comment, "The log shows two sessions.",
                      text="Night staff attend reflective practice only twice a year.",
                      seen_text=review.finding_.text)

    page = text(response)
    assert "Answer recorded, and the finding changed." in page
    assert ("Area for development The service's comment on factual accuracy Night staff miss reflective practice. "
            "Night staff attend reflective practice only twice a year. The log shows two sessions.") in page
    review.finding_.refresh_from_db()
    assert review.finding_.text == "Night staff attend reflective practice only twice a year."
    change = RatingChange.objects.get()
    assert (change.finding, change.from_text, change.reason, change.version) == (
        review.finding_, "Night staff miss reflective practice.", "The log shows two sessions.", 1,
    )
    assert LogEntry.objects.get_for_object(review.finding_).filter(changes__icontains="twice").exists()


def test_the_answer_is_the_reason_and_is_required(personas):
    review = draft(personas)
    comment = review.comment("The rota started after the visit.", code="V2.1")

    response = answer(browser_for(personas.lead_reviewer), review, comment, "  ",
                      **rating_fields(review, "V2.1", "Not met"))

    assert response.status_code == 400
    assert "Error: Enter answer" in text(response)
    assert agreed(review, "V2.1").level.label == "Met"
    assert not RatingChange.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "staff", "admin", "lead"])
def test_only_the_lead_reviewer_changes(personas, persona):
    review = draft(personas)
    comment = review.comment("The rota started after the visit.", code="V2.1")

    response = answer(browser_for(getattr(personas, persona)), review, comment,
                      **rating_fields(review, "V2.1", "Not met"))

    assert response.status_code == 404
    assert not RatingChange.objects.exists()


def test_no_change_after_the_draft_stage(personas):
    review = draft(personas)
    comment = review.comment("The rota started after the visit.", code="V2.1")
    review.answer(comment)
    review.to(CycleState.FINAL)

    with pytest.raises(ReviewError, match="while the report is a draft"):
        answer_accuracy_comment(comment, response="Late.", by=personas.lead_reviewer,
                                change=Correction(level=level(review.cycle, "Not met")))
    response = answer(browser_for(personas.lead_reviewer), review, comment,
                      **rating_fields(review, "V2.1", "Not met"))

    assert response.status_code == 404
    assert agreed(review, "V2.1").level.label == "Met"
    assert not RatingChange.objects.exists()


def test_another_services_cycle_is_404(personas):
    review = draft(personas)
    comment = review.comment("The rota started after the visit.", code="V2.1")
    other = settled_review(review.cycle.edition, personas.other, state=CycleState.REPORT_DRAFT)

    response = browser_for(personas.lead_reviewer).post(
        reverse("reviews:accuracy", args=[other.pk]),
        {"answer": str(comment.pk), f"answer-{comment.pk}-response": "Mixed up.",
         **{f"answer-{comment.pk}-{k}": v for k, v in rating_fields(review, "V2.1", "Not met").items()}},
    )

    assert response.status_code == 404
    assert not RatingChange.objects.exists()


def test_a_stale_answer_is_refused(personas):
    review = draft(personas)
    comment = review.comment("The rota started after the visit.", code="V2.1")
    client = browser_for(personas.lead_reviewer)
    seen = rating_fields(review, "V2.1", "Not met")
    answer(client, review, comment, "Partly: the rota came later.", **rating_fields(review, "V2.1", "Partly met"))

    stale = client.post(review.url("accuracy"), {
        "answer": str(comment.pk), f"answer-{comment.pk}-response": "Not met at all.",
        f"answer-{comment.pk}-seen_response": "", **{f"answer-{comment.pk}-{k}": v for k, v in seen.items()},
    })

    assert stale.status_code == 400
    assert "Someone else answered this comment while you were writing." in text(stale)
    assert agreed(review, "V2.1").level.label == "Partly met"
    comment.refresh_from_db()
    assert comment.response == "Partly: the rota came later."


def test_a_change_made_meanwhile_is_not_undone(personas):
    review = draft(personas)
    first = review.comment("The rota started after the visit.", code="V2.1")
    second = review.comment("And it is not yet weekly.", code="V2.1")
    client = browser_for(personas.lead_reviewer)
    seen = rating_fields(review, "V2.1", "Not met")
    answer(client, review, first, "Partly: the rota came later.", **rating_fields(review, "V2.1", "Partly met"))

    stale = answer(client, review, second, "Not met.", **seen)

    assert stale.status_code == 400
    assert "The agreed rating changed while you were answering." in text(stale)
    assert agreed(review, "V2.1").level.label == "Partly met"


def test_the_page_lists_changes_in_bounded_queries(personas, django_assert_max_num_queries):
    review = draft(personas)
    for code in ("V1.1", "V2.1", "V3.1", "V4.1"):
        comment = review.comment(f"{code} is wrong.", code=code)
        answer_accuracy_comment(comment, response=f"{code} corrected.", by=personas.lead_reviewer,
                                change=Correction(level=level(review.cycle, "Not met")))
    client = browser_for(personas.lead_reviewer)
    client.get(review.url("accuracy"))

    with django_assert_max_num_queries(30):
        page = text(client.get(review.url("accuracy")))

    assert page.count("changed from Met to Not met") == 4


# --- who sees the changes ---------------------------------------------------------------------


def changed(personas):
    review = draft(personas)
    on_rating = review.comment("The rota started after the visit.", code="V2.1")
    answer_accuracy_comment(on_rating, response="The rota came later.", by=personas.lead_reviewer,
                            change=Correction(level=level(review.cycle, "Partly met")))
    on_finding = review.comment("Nights attend twice a year.", finding=review.finding_)
    answer_accuracy_comment(on_finding, response="Two sessions in the log.", by=personas.lead_reviewer,
                            change=Correction(text="Night staff attend only twice a year."))
    urgent = review.finding_urgent = Finding.objects.create(
        cycle=review.cycle, kind=FindingKind.URGENT, text="Fire doors propped open.", created_by=personas.admin)
    record_finding_change(urgent, text="Fire doors propped open on two wings.", reason="Both wings.",
                          by=personas.admin, source=ChangeSource.ACCURACY)
    return review


def seen_changes(person, review):
    data = for_reader(service_report_data(review.cycle), disclosure(person, review.cycle))
    return [change["criterion"] or change["finding"]["kind"] for change in data["changes"]]


@pytest.mark.parametrize(("persona", "at_draft", "once_final"), [
    ("admin", ["V2.1", "development", "urgent"], ["V2.1", "development", "urgent"]),
    ("lead_reviewer", ["V2.1", "development", "urgent"], ["V2.1", "development", "urgent"]),
    ("lead", ["V2.1", "development", "urgent"], ["V2.1", "development", "urgent"]),
    ("member", ["V2.1", "development"], ["V2.1", "development"]),
    ("commissioner", [], ["V2.1", "development"]),
    ("outsider", [], []),
])
def test_who_sees_the_changes_in_the_report(personas, persona, at_draft, once_final):
    review = changed(personas)
    person = getattr(personas, persona)

    draft_changes = seen_changes(person, review)
    review.to(CycleState.FINAL)
    final_changes = seen_changes(person, review)

    assert (draft_changes, final_changes) == (at_draft, once_final)


def test_changes_on_the_page_follow_the_disclosure(personas):
    review = changed(personas)

    assert [c.criterion.code if c.criterion else c.finding.kind
            for c in changes_of(review.cycle, disclosure(personas.lead, review.cycle))] == [
        "V2.1", "development", "urgent"]
    assert changes_of(review.cycle, disclosure(personas.commissioner, review.cycle)) == []


def test_the_draft_report_says_what_changed(personas):
    review = changed(personas)

    _response, pdf = download(browser_for(personas.lead), review.url("report-pdf"))

    words = pdf_text(pdf)
    assert "What changed after the draft report" in words
    assert squeezed("Agreed rating of V2.1 Met Partly met The rota came later.") in squeezed(words)
    assert squeezed("Night staff miss reflective practice. Night staff attend only twice a year. "
                    "Two sessions in the log.") in squeezed(words)
    assert squeezed("The service's comment on factual accuracy") in squeezed(words)


def test_no_changes_no_section(personas):
    review = draft(personas)

    _response, pdf = download(browser_for(personas.lead), review.url("report-pdf"))

    assert "What changed after the draft report" not in pdf_text(pdf)
