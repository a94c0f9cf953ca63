"""Reports kept in S3-compatible object storage (ASSURANCE_S3_BUCKET set): a service report's PDF and
a background job's PDF are stored in the bucket, not on local disk, and reach people only through the
pages that check permission; a job whose storing fails ends failed with its error, as on disk, keeps
no object, and builds again once the storage is back."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import CycleState, JobStatus, Report, ReportKind
from tests.factories import build_edition
from tests.support.documents import download, pdf_text, status_url, stored_files
from tests.support.pages import text
from tests.support.personas import browser_for, person
from tests.support.reviews import OTHER_NAMES, PeerReview, other_services
from tests.support.s3 import bucket_in_use

pytestmark = [pytest.mark.s3, pytest.mark.usefixtures("s3_bucket")]

NETWORK = reverse("reports:network-reports")


@pytest.fixture
def s3_bucket(settings, private_media):
    with bucket_in_use(settings) as bucket:
        yield bucket


@pytest.fixture
def edition(db):
    edition = build_edition(values=2, criteria_per_value=2)
    other_services(edition, OTHER_NAMES[:2])
    return edition


def ask_for_network_report(client, edition):
    return client.post(NETWORK, {"edition": edition.pk, "year": timezone.localdate().year})


def in_the_bucket(s3_bucket, report):
    """(size, SHA-256) of the report's object, read straight from the bucket."""
    content = s3_bucket.read(report.file.name)
    return len(content), hashlib.sha256(content).hexdigest()


# --- the service report -----------------------------------------------------------------------


def test_service_report_pdf_is_stored_in_the_bucket_and_served_from_it(personas, s3_bucket, private_media):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = browser_for(personas.admin)

    response, pdf = download(client, review.url("report-pdf"))
    _again, served_again = download(client, review.url("report-pdf"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kestrel-wing-report-draft.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    [draft] = Report.objects.filter(kind=ReportKind.SERVICE, cycle=review.cycle)
    assert in_the_bucket(s3_bucket, draft) == (len(pdf), draft.file_sha256)
    assert s3_bucket.keys() == [s3_bucket.key(draft.file.name)]  # the second download came from storage
    assert served_again == pdf
    assert "Kestrel Wing" in pdf_text(pdf)
    assert stored_files(private_media) == []


def test_service_report_pdf_is_not_found_by_another_services_person(personas, s3_bucket):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    download(browser_for(personas.admin), review.url("report-pdf"))
    elm_house_lead = person("elmlead", RoleKind.SERVICE_LEAD, personas.other)

    response, _content = download(browser_for(elm_house_lead), review.url("report-pdf"))

    assert response.status_code == 404


# --- reports built in the background ----------------------------------------------------------


def test_network_report_job_stores_its_pdf_in_the_bucket(personas, edition, s3_bucket, private_media,
                                                         django_capture_on_commit_callbacks):
    client = browser_for(personas.admin)

    with django_capture_on_commit_callbacks(execute=True):
        ask_for_network_report(client, edition)
    report = Report.objects.get(kind=ReportKind.NETWORK)
    response, pdf = download(client, reverse("reports:report-download", args=[report.pk]))

    assert report.status == JobStatus.READY
    assert s3_bucket.keys() == [s3_bucket.key(report.file.name)]
    assert in_the_bucket(s3_bucket, report) == (len(pdf), report.file_sha256)
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "Headlines" in pdf_text(pdf)
    assert stored_files(private_media) == []


def test_network_report_job_is_not_found_by_someone_else(personas, edition, s3_bucket,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_network_report(browser_for(personas.admin), edition)
    report = Report.objects.get(kind=ReportKind.NETWORK)

    response, _content = download(browser_for(personas.commissioner), reverse("reports:report-download",
                                                                              args=[report.pk]))

    assert response.status_code == 404


def test_job_whose_storing_fails_ends_failed_keeps_nothing_and_builds_again(personas, edition, s3_bucket,
                                                                           django_capture_on_commit_callbacks):
    client = browser_for(personas.admin)
    s3_bucket.remove()

    with django_capture_on_commit_callbacks(execute=True):
        ask_for_network_report(client, edition)
    report = Report.objects.get(kind=ReportKind.NETWORK)
    failed = text(client.get(status_url(report)))
    s3_bucket.client.create_bucket(Bucket=s3_bucket.name, CreateBucketConfiguration={
        "LocationConstraint": s3_bucket.client.meta.region_name})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(status_url(report), {"again": ""})

    assert (report.status, report.file.name) == (JobStatus.FAILED, "")
    assert ("Failed An error occurred (NoSuchBucket) when calling the PutObject operation: "
            "The specified bucket does not exist Build it again") in failed
    report.refresh_from_db()
    assert report.status == JobStatus.READY
    assert s3_bucket.keys() == [s3_bucket.key(report.file.name)]
    assert s3_bucket.unfinished_uploads() == []
