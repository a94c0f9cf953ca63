"""Drafts and finals. A draft is built from the current data, and served from storage while nothing
it shows has changed. A final report is issued by an administrator once the decision is recorded
and is frozen: its stored PDF and data hash never change, and a change makes a new version."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import ActionStatus, CycleEvent, CycleState, Finding, FindingKind, Report, ReportKind
from reviews.peer.services import update_action
from reviews.reports.fingerprint import fingerprint
from reviews.templatetags.review_tags import long_date
from standards.models import Criterion
from tests.factories import CycleFactory
from tests.support.days import on_day
from tests.support.documents import download, pdf_pages, pdf_text, stored_files
from tests.support.pages import messages_on, text
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.usefixtures("private_media")


def drafts(review):
    return Report.objects.filter(kind=ReportKind.SERVICE, cycle=review.cycle, is_final=False)


def finals(review):
    return Report.objects.filter(kind=ReportKind.SERVICE, cycle=review.cycle, is_final=True).order_by("version")


def issue(client, review):
    return client.post(review.url("report-issue"), follow=True)


def stored_bytes(report):
    with report.file.open("rb") as file:
        return file.read()


# --- drafts -----------------------------------------------------------------------------------


def test_draft_pdf_downloads_as_attachment_stored_privately(personas, client_for, private_media):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)

    response, pdf = download(client_for(personas.admin), review.url("report-pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kestrel-wing-report-draft.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert pdf.startswith(b"%PDF-")
    [draft] = drafts(review)
    assert stored_bytes(draft) == pdf
    assert (draft.pages, draft.size, draft.status, draft.requested_by) == (pdf_pages(pdf), len(pdf), "ready", personas.admin)
    assert stored_files(private_media) == [draft.file.name]


def test_draft_pdf_of_yesterday_is_served_until_an_action_falls_overdue(personas, client_for, monkeypatch):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    today = timezone.localdate()
    review.action(due_date=today + datetime.timedelta(days=3))
    client = client_for(personas.admin)
    _response, built_today = download(client, review.url("report-pdf"))

    on_day(monkeypatch, today + datetime.timedelta(days=1))
    _response, next_day = download(client, review.url("report-pdf"))
    on_day(monkeypatch, today + datetime.timedelta(days=4))
    _response, once_overdue = download(client, review.url("report-pdf"))

    assert next_day == built_today  # the stored draft: nothing it shows changed overnight
    assert drafts(review).count() == 2
    assert "overdue" not in pdf_text(built_today)
    assert "overdue" in pdf_text(once_overdue)


def test_draft_pdf_unchanged_is_served_from_storage(personas, client_for):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = client_for(personas.admin)
    _response, first = download(client, review.url("report-pdf"))
    [draft] = drafts(review)

    with CaptureQueriesContext(connection) as again:
        _response, second = download(client, review.url("report-pdf"))
    with CaptureQueriesContext(connection) as third_time:
        _response, third = download(client, review.url("report-pdf"))

    assert first == second == third
    assert list(drafts(review).values_list("pk", "file", "data_hash")) == [(draft.pk, draft.file.name, draft.data_hash)]
    # nothing rebuilt: the session, the person and their roles, the cycle and its team, its fingerprint
    # and the stored report
    assert len(again) == len(third_time) <= 8


def test_draft_pdf_rebuilt_when_agreed_rating_changes(personas, client_for):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates().agree_everything()
    client = client_for(personas.admin)
    _response, before = download(client, review.url("report-pdf"))

    review.agree("V1.1", "Not met", rationale="The minutes show no meetings since March.")
    _response, after = download(client, review.url("report-pdf"))

    first, second = drafts(review).order_by("pk")
    assert before != after
    assert first.data_hash != second.data_hash
    assert "Agreed: Not met" not in pdf_text(before)
    assert "Agreed: Not met" in pdf_text(after)
    assert "Why agreed: The minutes show no meetings since March." in pdf_text(after)


def test_draft_pdf_rebuilt_when_action_added(personas, client_for):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = client_for(personas.lead_reviewer)
    _response, before = download(client, review.url("report-pdf"))

    review.action(description="Write the welcome pack with members.", owner="Members' group")
    _response, after = download(client, review.url("report-pdf"))

    assert drafts(review).count() == 2
    assert "No actions yet." in pdf_text(before)
    assert "Write the welcome pack with members." in pdf_text(after)
    assert "Members' group" in pdf_text(after)


def test_draft_pdf_kept_when_nothing_shown_changed(personas, client_for):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = client_for(personas.admin)
    _response, before = download(client, review.url("report-pdf"))
    [draft] = drafts(review)
    printed = fingerprint(review.cycle)
    # Another service's review of the edition is decided: the draft's fingerprint moves (the network
    # comparison reads the final reviews), but with too few services for one, its data does not.
    other = CycleFactory(edition=review.cycle.edition, state=CycleState.FINAL)
    CycleEvent.objects.create(cycle=other, from_state=CycleState.REPORT_DRAFT, to_state=CycleState.FINAL)

    _response, after = download(client, review.url("report-pdf"))

    assert fingerprint(review.cycle) != printed
    assert after == before
    assert list(drafts(review).values_list("pk", "file")) == [(draft.pk, draft.file.name)]


def test_another_services_review_under_way_moving_on_does_not_move_the_fingerprint(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    other = CycleFactory(edition=review.cycle.edition)
    printed = fingerprint(review.cycle)

    CycleEvent.objects.create(cycle=other, from_state=CycleState.OPEN, to_state=CycleState.SELF_ASSESSMENT_SUBMITTED)
    other.state = CycleState.SELF_ASSESSMENT_SUBMITTED
    other.save()

    assert fingerprint(review.cycle) == printed


def test_draft_pdf_kept_when_another_services_finding_is_edited(personas, client_for):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    other = Finding.objects.create(cycle=CycleFactory(service=personas.other, edition=review.cycle.edition),
                                   kind=FindingKind.STRENGTH, text="Elm House holds community meetings daily.")
    client = client_for(personas.admin)
    _response, before = download(client, review.url("report-pdf"))
    printed = fingerprint(review.cycle)

    other.text = "Elm House holds community meetings twice a day."
    other.save()  # an edit in the admin: audited, and about another service's review
    _response, after = download(client, review.url("report-pdf"))

    assert fingerprint(review.cycle) == printed
    assert after == before
    assert drafts(review).count() == 1


def edit_finding(review):
    finding = Finding.objects.get(cycle=review.cycle)
    finding.text = "Night staff now join reflective practice once a month."
    finding.save()


def rename_reviewer(review):
    reviewer = review.personas.reviewer
    reviewer.first_name, reviewer.last_name = "Philippa", "Marchbanks"
    reviewer.save()


def rename_service(review):
    service = review.personas.home
    service.name = "Kestrel Wing and Annexe"
    service.save()


def reword_criterion(review):
    criterion = Criterion.objects.get(edition=review.cycle.edition, code="V1.1")
    criterion.statement = "Members chair the community meeting in turn."
    criterion.save()


@pytest.mark.parametrize(("edit", "words"), [
    (edit_finding, "Night staff now join reflective practice once a month."),
    (rename_reviewer, "Philippa Marchbanks"),
    (rename_service, "Kestrel Wing and Annexe"),
    (reword_criterion, "Members chair the community meeting in turn."),
])
def test_draft_pdf_rebuilt_when_an_audited_edit_changes_what_it_shows(personas, client_for, edit, words):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    review.finding()
    client = client_for(personas.admin)
    _response, before = download(client, review.url("report-pdf"))
    printed = fingerprint(review.cycle)

    edit(review)  # in the admin: no timestamp of the report's rows moves, the audit log has it
    _response, after = download(client, review.url("report-pdf"))

    assert fingerprint(review.cycle) != printed
    assert words not in pdf_text(before)
    assert words in pdf_text(after)


def test_fingerprint_is_one_query(personas, django_assert_num_queries):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    review.finding()
    fingerprint(review.cycle)  # reads the content types once per process

    with django_assert_num_queries(1):
        fingerprint(review.cycle)


def test_service_report_download_or_issue_leaves_no_ready_notice_on_home_page(personas, client_for):
    review = PeerReview(personas).to(CycleState.FINAL)
    client = client_for(personas.admin)

    download(client, review.url("report-pdf"))
    issue(client, review)

    assert "Your reports are ready" not in text(client.get(reverse("home")))


# --- finals -----------------------------------------------------------------------------------


def test_final_report_issued_stores_pdf_hash_issuer_and_time(personas, client_for, private_media):
    review = PeerReview(personas).to(CycleState.FINAL)
    client = client_for(personas.admin)
    before = timezone.now()

    response = issue(client, review)

    [final] = finals(review)
    assert messages_on(response) == ["Final report version 1 is issued and stored."]
    assert (final.version, final.issued_by, final.status) == (1, personas.admin, "ready")
    assert before <= final.issued_at <= timezone.now()
    assert len(final.data_hash) == 64
    assert final.file.name in stored_files(private_media)
    page = text(response)
    assert (f"Final report, version 1 (PDF) issued by {personas.admin} on {timezone.localdate():%-d %B %Y}, "
            f"{final.pages} pages") in page
    _response, pdf = download(client, review.url("report-final", 1))
    assert pdf == stored_bytes(final)
    assert f"Final report, version 1, issued {long_date(timezone.localdate())}" in pdf_text(pdf)
    assert f"Issued by {personas.admin}." in pdf_text(pdf)


def test_final_report_issued_again_without_change_is_refused(personas, client_for):
    review = PeerReview(personas).to(CycleState.FINAL)
    client = client_for(personas.admin)
    issue(client, review)

    response = issue(client, review)

    assert messages_on(response) == [
        "Nothing has changed since version 1 was issued, so there is no new version to issue."
    ]
    assert finals(review).count() == 1
    assert "Issue a new version" in text(response)


def test_final_report_never_changes_and_a_change_makes_version_2(personas, client_for):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    action = review.action(description="Include night staff in reflective practice.")
    review.to(CycleState.FINAL)
    client = client_for(personas.admin)
    issue(client, review)
    [v1] = finals(review)
    v1_pdf = stored_bytes(v1)

    update_action(action, status=ActionStatus.IN_PROGRESS, note="Two sessions held.", updated_by=personas.lead,
                  may_verify=False)
    _response, downloaded = download(client, review.url("report-final", 1))
    draft_link = client.get(review.url("report-pdf"))
    response = issue(client, review)

    v1_now, v2 = finals(review)
    assert downloaded == v1_pdf == stored_bytes(v1_now)
    assert (v1_now.pk, v1_now.data_hash, v1_now.file.name, v1_now.issued_at) == (
        v1.pk, v1.data_hash, v1.file.name, v1.issued_at
    )
    assert "Open" in pdf_text(v1_pdf) and "In progress" not in pdf_text(v1_pdf)
    assert draft_link.url == review.url("report-final", 1)  # a decided review's draft link gives its final version
    assert "In progress" in pdf_text(stored_bytes(v2))
    assert messages_on(response) == ["Final report version 2 is issued and stored."]
    assert (v2.version, v2.pk != v1.pk, v2.data_hash != v1.data_hash) == (2, True, True)
    _response, v2_pdf = download(client, review.url("report-final", 2))
    assert v2_pdf == stored_bytes(v2)
    assert "In progress" in pdf_text(v2_pdf) and "Final report, version 2, issued" in pdf_text(v2_pdf)
    assert "Final report, version 1 (PDF)" in text(response) and "Final report, version 2 (PDF)" in text(response)


def test_final_report_not_issued_before_decision(personas, client_for):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)

    response = client_for(personas.admin).post(review.url("report-issue"))

    assert response.status_code == 404
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "persona", ["lead", "staff", "member", "reviewer", "lived_experience_reviewer", "lead_reviewer", "commissioner",
                "outsider"],
)
def test_final_report_issued_only_by_admins(personas, client_for, persona):
    review = PeerReview(personas).to(CycleState.FINAL)

    response = client_for(getattr(personas, persona)).post(review.url("report-issue"))

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_final_report_issue_needs_post(personas, client_for):
    review = PeerReview(personas).to(CycleState.FINAL)

    response = client_for(personas.admin).get(review.url("report-issue"))

    assert response.status_code == 405
    assert not Report.objects.exists()


def test_final_report_unknown_version_is_404(personas, client_for):
    review = PeerReview(personas).to(CycleState.FINAL)
    client = client_for(personas.admin)

    assert client.get(review.url("report-final", 1)).status_code == 404
    assert drafts(review).count() == 0


def test_final_report_page_offers_issue_only_to_admins_once_final(personas, client_for):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    before = text(client_for(personas.admin).get(review.url("report")))
    review.to(CycleState.FINAL)

    after_admin = text(client_for(personas.admin).get(review.url("report")))
    after_lead = text(client_for(personas.lead).get(review.url("report")))

    assert "Issue the final report" not in before
    assert "Issue the final report" in after_admin
    assert "Issue the final report" not in after_lead
