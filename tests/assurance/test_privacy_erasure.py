"""Erasing a person: their name, username and email leave every table, stored file and export;
what they did stays as the service's record under a neutral label."""

import hashlib
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from assurance.models import Role
from reviews.models import AgreedRating, Decision, PeerRating, Report
from reviews.privacy.services import erase_person, plan_erasure
from tests.assurance.privacy_world import stored_texts, traces_in, traces_in_tables, zebedees_review
from tests.support.documents import download


@pytest.fixture
def erased(personas, media_root, django_capture_on_commit_callbacks):
    zebedee, review = zebedees_review(personas)
    counts = (PeerRating.objects.count(), AgreedRating.objects.count(), Decision.objects.count())
    final = Report.objects.get(cycle=review.cycle, is_final=True, audience="")
    before = {"final_sha": final.file_sha256, "final_file": final.file.name, "counts": counts}
    with django_capture_on_commit_callbacks(execute=True):  # old files go once the erasure commits
        erase_person(zebedee, actor=personas.admin)
    zebedee.refresh_from_db()
    return zebedee, review, before


def test_the_world_holds_zebedee_everywhere_before(personas, media_root):
    zebedee, review = zebedees_review(personas)
    tables = {column for column, _pk, _trace in traces_in_tables()}

    assert {"assurance_user.username", "auditlog_logentry.changes", "auditlog_logentry.object_repr",
            "reviews_peerrating.comment", "reviews_report.snapshot", "reviews_action.owner",
            "reviews_sentnotice.subject", "axes_accessattempt.username"} <= tables
    assert any(traces_in(text) for text in stored_texts().values())
    plan = plan_erasure(zebedee)
    assert plan.deleted["roles"] == 1 and plan.deleted["sessions"] == 1
    assert [final.version for final in plan.finals_rebuilt] == [1]


def test_no_table_holds_any_trace_of_the_erased_person(erased):
    assert traces_in_tables() == []


def test_no_stored_file_holds_any_trace_of_the_erased_person(erased):
    files = stored_texts()

    assert files  # the final report's new PDF at least
    assert {name: traces_in(text) for name, text in files.items() if traces_in(text)} == {}


def test_the_account_stays_nameless_inactive_without_password_or_roles(erased):
    zebedee, _review, _before = erased

    assert (zebedee.get_full_name(), zebedee.username, zebedee.email) == (
        f"Erased person {zebedee.pk}", f"erased-person-{zebedee.pk}", "")
    assert not zebedee.is_active and not zebedee.has_usable_password() and zebedee.erased_at is not None
    assert not Role.objects.filter(user=zebedee).exists()


def test_ratings_and_decisions_stay_as_records_under_the_label(erased):
    zebedee, review, before = erased

    assert (PeerRating.objects.count(), AgreedRating.objects.count(), Decision.objects.count()) == before["counts"]
    comments = set(PeerRating.objects.filter(team_member__user=zebedee).values_list("comment", flat=True))
    assert comments and all(comment.startswith(f"Erased person {zebedee.pk} on ") for comment in comments)


def test_the_final_report_is_rebuilt_and_still_verifies(erased):
    _zebedee, review, before = erased
    final = Report.objects.get(cycle=review.cycle, is_final=True, audience="")

    with final.file.open("rb") as file:
        content = file.read()
    assert hashlib.sha256(content).hexdigest() == final.file_sha256 != before["final_sha"]
    assert not default_storage.exists(before["final_file"])
    assert final.snapshot["visit"]["team"] and any(
        member["name"].startswith("Erased person") for member in final.snapshot["visit"]["team"])
    rebuilt = LogEntry.objects.get_for_object(final).filter(changes_text__startswith="Rebuilt after")
    assert rebuilt.count() == 1


def test_the_erasure_is_in_the_audit_log_with_who_did_it(erased, personas):
    zebedee, _review, _before = erased
    entry = LogEntry.objects.get_for_object(zebedee).order_by("-timestamp", "-pk").first()

    assert entry.actor == personas.admin
    assert set(entry.changes_dict) == {"is_active", "erased_at"}
    assert entry.object_repr == f"Erased person {zebedee.pk}"


def _text_of(content):
    if content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8")


def test_no_export_or_pdf_the_app_offers_holds_any_trace(erased, personas, client_for):
    _zebedee, review, _before = erased
    admin = client_for(personas.admin)
    cycle, edition = review.cycle, review.cycle.edition
    urls = [reverse("reports:cycle-export", args=[cycle.pk, fmt]) for fmt in ("csv", "json")]
    urls += [reverse("reports:edition-export", args=[edition.pk, fmt]) for fmt in ("csv", "json")]
    urls += [reverse("reports:report-pdf", args=[cycle.pk]), reverse("reports:report-final", args=[cycle.pk, 1]),
             reverse("reports:visit-pack", args=[cycle.pk]), reverse("network-import-template"),
             reverse("standards:export", args=[edition.framework.slug, edition.version])]

    for url in urls:
        response, content = download(admin, url)
        if response.status_code == 302:  # a decided review's draft link gives its final version
            response, content = download(admin, response.url)
        assert response.status_code == 200, url
        assert traces_in(_text_of(content)) == [], url
