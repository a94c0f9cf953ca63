"""Background report jobs are safe to fail: a job that fails ends FAILED with its error and no file,
and "Build it again" queues it anew; a job stuck being built for more than 15 minutes can be built
again; and a file is stored whole or not at all, so nothing half-written is ever left behind."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile, File
from django.urls import reverse
from django.utils import timezone

from assurance.storage import PrivateStorage
from reviews.models import JobStatus, Report, ReportKind
from reviews.reports import tasks as build_module
from reviews.reports.tasks import run_report_job
from tests.factories import EditionFactory, build_edition
from tests.support.documents import download, drawn_images, pdf_text, status_url, stored_files
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import OTHER_NAMES, other_services

pytestmark = pytest.mark.usefixtures("private_media")

NETWORK = reverse("reports:network-reports")


def ask(client, edition):
    return client.post(NETWORK, {"edition": edition.pk, "year": timezone.localdate().year})


def again(client, report):
    return client.post(status_url(report), {"again": ""})


@pytest.fixture
def edition(db):
    edition = build_edition(values=2, criteria_per_value=2)
    other_services(edition, OTHER_NAMES[:2])
    return edition


def failing_build(*args, **kwargs):
    raise RuntimeError("The chart library ran out of memory.")


# --- failing ----------------------------------------------------------------------------------


def test_failed_job_ends_failed_with_error_and_no_file(personas, edition, monkeypatch, private_media,
                                                       django_capture_on_commit_callbacks):
    monkeypatch.setattr(build_module, "build_network_report", failing_build)
    client = browser_for(personas.admin)

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, edition)

    report = Report.objects.get(kind=ReportKind.NETWORK)
    assert (report.status, report.error, report.stage) == (JobStatus.FAILED, "The chart library ran out of memory.",
                                                           "Failed")
    assert not report.file
    assert stored_files(private_media) == []
    page = client.get(status_url(report))
    assert "Failed The chart library ran out of memory. Build it again" in text(page)
    assert "refresh" not in page.content.decode()
    assert download(client, reverse("reports:report-download", args=[report.pk]))[0].status_code == 404
    assert "Your reports are ready" not in text(client.get(reverse("home")))


def test_failed_job_built_again_succeeds(personas, edition, monkeypatch, private_media,
                                         django_capture_on_commit_callbacks):
    client = browser_for(personas.admin)
    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(build_module, "build_network_report", failing_build)
        ask(client, edition)
    report = Report.objects.get(kind=ReportKind.NETWORK)

    with django_capture_on_commit_callbacks(execute=True):
        response = again(client, report)

    report.refresh_from_db()
    assert response["Location"] == status_url(report)
    assert (report.status, report.error, report.progress) == (JobStatus.READY, "", 100)
    assert stored_files(private_media) == [report.file.name]
    assert Report.objects.count() == 1  # the same report, built again
    _response, pdf = download(client, reverse("reports:report-download", args=[report.pk]))
    assert "Headlines" in pdf_text(pdf)


@pytest.mark.parametrize("empty", ["edition without values", "year without reviews"])
def test_job_with_nothing_to_show_builds_report_saying_so(personas, edition, empty,
                                                           django_capture_on_commit_callbacks):
    client = browser_for(personas.admin)
    chosen, year = (EditionFactory(), timezone.localdate().year) if empty == "edition without values" else (edition, 2001)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(NETWORK, {"edition": chosen.pk, "year": year})

    report = Report.objects.get(kind=ReportKind.NETWORK)
    assert (report.status, report.error) == (JobStatus.READY, "")
    _response, pdf = download(client, reverse("reports:report-download", args=[report.pk]))
    words = pdf_text(pdf)
    assert "Fewer than 5 services have a final review this year, so this report shows no figures." in words
    assert "No charts: fewer than 5 services have a final review that year." in words
    assert drawn_images(pdf) == 0


def test_portfolio_job_that_fails_can_be_built_again(personas, monkeypatch, django_capture_on_commit_callbacks):
    client = browser_for(personas.commissioner)
    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(build_module, "build_portfolio_report", failing_build)
        client.post(reverse("reports:portfolio"))
    report = Report.objects.get(kind=ReportKind.PORTFOLIO)
    failed = text(client.get(status_url(report)))

    with django_capture_on_commit_callbacks(execute=True):
        again(client, report)

    assert "The chart library ran out of memory. Build it again" in failed
    report.refresh_from_db()
    assert report.status == JobStatus.READY and report.file


# --- stuck ------------------------------------------------------------------------------------


def running_since(personas, edition, minutes):
    return Report.objects.create(
        kind=ReportKind.NETWORK, edition=edition, year=timezone.localdate().year, status=JobStatus.RUNNING,
        progress=60, stage="Laying out the pages", requested_by=personas.admin,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )


def test_job_running_over_15_minutes_offers_build_again(personas, edition):
    report = running_since(personas, edition, minutes=16)

    page = browser_for(personas.admin).get(status_url(report))

    words = text(page)
    assert "The report has been building for a long time: the worker may have stopped." in words
    assert "Nothing half-built was kept." in words
    assert "Build it again" in words
    assert "refresh" not in page.content.decode()


def test_job_running_under_15_minutes_is_left_to_finish(personas, edition, django_capture_on_commit_callbacks):
    report = running_since(personas, edition, minutes=14)
    client = browser_for(personas.admin)

    page = client.get(status_url(report))
    with django_capture_on_commit_callbacks(execute=True):
        again(client, report)

    assert "Build it again" not in text(page)
    assert 'data-poll="' in page.content.decode()  # the page keeps itself up to date
    report.refresh_from_db()
    assert (report.status, report.progress) == (JobStatus.RUNNING, 60)  # not queued twice


def test_stuck_job_built_again_succeeds(personas, edition, private_media,
                                        django_capture_on_commit_callbacks):
    report = running_since(personas, edition, minutes=45)

    with django_capture_on_commit_callbacks(execute=True):
        again(browser_for(personas.admin), report)

    report.refresh_from_db()
    assert report.status == JobStatus.READY
    assert stored_files(private_media) == [report.file.name]


def test_ready_report_is_not_built_twice(personas, edition, django_capture_on_commit_callbacks):
    client = browser_for(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, edition)
    report = Report.objects.get(kind=ReportKind.NETWORK)
    stored = report.file.name

    with django_capture_on_commit_callbacks(execute=True):
        again(client, report)
    run_report_job(report.pk)

    report.refresh_from_db()
    assert (report.status, report.file.name) == (JobStatus.READY, stored)


# --- files are whole or absent ----------------------------------------------------------------


class BreaksHalfWay(File):
    """A file whose second chunk cannot be read: a disk error or a killed worker, half way."""

    def __init__(self):
        super().__init__(None, name="report.pdf")

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.7 the first half of a report"
        raise OSError("No space left on device")

    def seek(self, position):
        pass

    @property
    def size(self):
        return 1000


def test_private_storage_leaves_no_partial_file_when_writing_fails(tmp_path):
    storage = PrivateStorage(location=tmp_path)

    with pytest.raises(OSError, match="No space left on device"):
        storage.save("reports/network/broken.pdf", BreaksHalfWay())

    folder = tmp_path / "reports" / "network"
    assert os.listdir(folder) == []  # neither the file nor a .partial- file


def test_private_storage_writes_whole_file_readable_only_by_us(tmp_path):
    storage = PrivateStorage(location=tmp_path)

    name = storage.save("reports/network/whole.pdf", ContentFile(b"%PDF-1.7 a whole report"))

    path = tmp_path / name
    assert path.read_bytes() == b"%PDF-1.7 a whole report"
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert os.listdir(path.parent) == ["whole.pdf"]
    with pytest.raises(ValueError, match="Private files have no URL"):
        storage.url(name)


def test_report_job_that_fails_while_storing_leaves_no_file(personas, edition, monkeypatch, private_media,
                                                            django_capture_on_commit_callbacks):
    real_save = PrivateStorage._save
    client = browser_for(personas.admin)

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(PrivateStorage, "_save", lambda storage, name, content: real_save(storage, name, BreaksHalfWay()))
        ask(client, edition)
    report = Report.objects.get(kind=ReportKind.NETWORK)
    failed = text(client.get(status_url(report)))
    with django_capture_on_commit_callbacks(execute=True):
        again(client, report)

    assert "Failed No space left on device Build it again" in failed
    assert report.status == JobStatus.FAILED and not report.file
    report.refresh_from_db()
    assert report.status == JobStatus.READY
    assert stored_files(private_media) == [report.file.name]  # the whole file, and nothing partial
