"""Background reports on several workers: two `db_worker`s share twenty jobs and each job runs
exactly once; a worker killed half way through a job leaves it stuck, `retry_stuck_reports`
queues it again (recording the dead run as failed), and another worker builds it whole.

The workers are real processes started with the production settings against the test database,
so these tests need PostgreSQL (SQLite would have two processes fight over one file lock)."""

import datetime
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews.models import JobStatus, Report, ReportKind
from reviews.reports.services import request_network_report, request_portfolio_report
from reviews.reports.tasks import build_report
from tests.factories import build_edition
from tests.support.documents import status_url, stored_files
from tests.support.personas import browser_for
from tests.support.reviews import OTHER_NAMES, other_services

PROJECT_ROOT = Path(django_settings.BASE_DIR)
PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "assurance_cache"}}
GENEROUS = 600  # seconds a worker may take on a busy machine before the test gives up on it


@pytest.fixture
def task_database(settings, media_root):
    """Jobs queued in the database, as in production, and stored files in the test's own folder."""
    settings.TASKS = DATABASE_TASKS
    return media_root


def runs_of(report):
    return DBTaskResult.objects.filter(task_path=build_report.module_path, args_kwargs__args=[report.pk])


# --- retry_stuck_reports, in this process -------------------------------------------------------


def stuck_for(report, minutes, worker="a-worker-that-died"):
    """The report as a worker killed `minutes` ago leaves it: running, its run claimed, no file."""
    run = runs_of(report).get()
    run.claim(worker)
    Report.objects.filter(pk=report.pk).update(status=JobStatus.RUNNING, progress=40,
                                               started_at=timezone.now() - datetime.timedelta(minutes=minutes))


@pytest.fixture
def stuck_and_recent(personas, task_database, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stuck = request_portfolio_report(requested_by=personas.commissioner)
        recent = request_portfolio_report(requested_by=personas.commissioner)
    stuck_for(stuck, minutes=16)
    stuck_for(recent, minutes=5, worker="a-worker-still-building")
    return stuck, recent


def test_retry_stuck_reports_queues_again_only_reports_stuck_over_15_minutes(stuck_and_recent, capsys,
                                                                             django_capture_on_commit_callbacks):
    stuck, recent = stuck_and_recent

    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_stuck_reports")

    stuck.refresh_from_db()
    assert (stuck.status, stuck.progress, stuck.error, bool(stuck.file)) == (JobStatus.QUEUED, 0, "", False)
    dead, new = runs_of(stuck).order_by("enqueued_at")
    assert (dead.status, dead.worker_ids) == (TaskResultStatus.FAILED, ["a-worker-that-died"])
    assert dead.exception_class_path == "reviews.reports.tasks.WorkerStopped"
    assert (new.status, new.worker_ids) == (TaskResultStatus.READY, [])
    recent.refresh_from_db()
    assert recent.status == JobStatus.RUNNING
    assert [run.status for run in runs_of(recent)] == [TaskResultStatus.RUNNING]
    out = capsys.readouterr().out
    assert f"Queued again: report {stuck.pk} (portfolio)" in out
    assert "1 report queued again for the report worker." in out


def test_retry_stuck_reports_again_queues_nothing_new(stuck_and_recent, capsys, django_capture_on_commit_callbacks):
    stuck, _recent = stuck_and_recent
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_stuck_reports")
    capsys.readouterr()

    call_command("retry_stuck_reports")

    assert runs_of(stuck).count() == 2
    assert "No report has been being built for more than 15 minutes." in capsys.readouterr().out


def test_retry_stuck_reports_dry_run_and_bad_minutes_change_nothing(stuck_and_recent, capsys):
    stuck, recent = stuck_and_recent

    call_command("retry_stuck_reports", "--dry-run", "--older-than-minutes", "0")
    with pytest.raises(CommandError, match="--older-than-minutes takes a whole number of minutes, 0 or more, not '-3'"):
        call_command("retry_stuck_reports", "--older-than-minutes", "-3")

    assert f"Stuck: report {stuck.pk} (portfolio)" in capsys.readouterr().out
    assert [report.status for report in Report.objects.filter(pk__in=[stuck.pk, recent.pk])] == [JobStatus.RUNNING] * 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 2


def test_build_again_on_a_stuck_report_records_its_dead_run_as_failed(stuck_and_recent, personas,
                                                                     django_capture_on_commit_callbacks):
    stuck, _recent = stuck_and_recent
    client = browser_for(personas.commissioner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(status_url(stuck), {"again": ""})

    stuck.refresh_from_db()
    assert stuck.status == JobStatus.QUEUED
    assert [run.status for run in runs_of(stuck).order_by("enqueued_at")] == [TaskResultStatus.FAILED,
                                                                              TaskResultStatus.READY]


# --- real workers, in processes of their own ------------------------------------------------------


def database_url():
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    host = quote(database["HOST"] or "localhost", safe="")
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{database['NAME']}"


def worker_env(media_root):
    """The production settings' own choices (database tasks, database cache, connection pool),
    on the test database and the test's media folder."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url(), ASSURANCE_MEDIA_ROOT=str(media_root), DJANGO_DEBUG="false",
               LOG_FORMAT="text")
    return env


def manage(media_root, *args, **popen):
    python = str(PYTHON if PYTHON.exists() else sys.executable)
    return subprocess.Popen([python, "manage.py", *args], cwd=PROJECT_ROOT, env=worker_env(media_root),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)


def start_worker(media_root, worker_id):
    return manage(media_root, "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0.2",
                  "--worker-id", worker_id)


def finish(process):
    output, _ = process.communicate(timeout=GENEROUS)
    assert process.returncode == 0, output
    return output


@pytest.fixture
def workers_database(task_database, settings):
    """The production settings cache in the database; the test settings migrated without the table."""
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    return task_database


def started_runs(output):
    """The ids of the report jobs a worker's log says it started."""
    return [line.split("id=")[1].split()[0] for line in output.splitlines()
            if "state=RUNNING" in line and build_report.module_path in line]


def assert_whole(report, media_root):
    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == (JobStatus.READY, 100, "")
    assert report.file and report.size and report.pages
    pdf = (media_root / report.file.name).read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert hashlib.sha256(pdf).hexdigest() == report.file_sha256


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_share_twenty_jobs_and_run_each_once(personas, workers_database):
    reports = [request_portfolio_report(requested_by=personas.commissioner) for _ in range(20)]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 20

    workers = [start_worker(workers_database, "first-worker"), start_worker(workers_database, "second-worker")]
    outputs = [finish(worker) for worker in workers]

    for report in reports:
        assert_whole(report, workers_database)
    runs = list(DBTaskResult.objects.all())
    assert len(runs) == 20
    assert {run.status for run in runs} == {TaskResultStatus.SUCCESSFUL}
    assert sorted(run.args_kwargs["args"][0] for run in runs) == sorted(report.pk for report in reports)
    assert all(len(run.worker_ids) == 1 for run in runs)
    by_worker = Counter(run.worker_ids[0] for run in runs)
    assert set(by_worker) == {"first-worker", "second-worker"}, by_worker
    # Each worker's own log: twenty starts in all, each job started once, by the worker recorded.
    started = [started_runs(output) for output in outputs]
    assert sorted(started[0] + started[1]) == sorted(str(run.pk) for run in runs)
    assert [len(ids) for ids in started] == [by_worker["first-worker"], by_worker["second-worker"]]
    assert sorted(stored_files(workers_database)) == sorted(report.file.name for report in reports)


def wait_until_running(report, worker):
    """Polls the database (not a clock) until the worker has started building the report."""
    while Report.objects.filter(pk=report.pk, status=JobStatus.RUNNING).count() == 0:
        assert worker.poll() is None, worker.communicate()[0]
        time.sleep(0.02)


@pytest.fixture
def large_network_report(personas, workers_database):
    """A network report over many services: long enough to build that a worker can be killed in it."""
    edition = build_edition(values=4, criteria_per_value=4)
    other_services(edition, OTHER_NAMES)
    return request_network_report(edition=edition, year=timezone.localdate().year, names=True,
                                   requested_by=personas.admin)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_job_leaves_it_to_be_built_again(large_network_report, workers_database):
    report = large_network_report
    doomed = start_worker(workers_database, "doomed-worker")
    wait_until_running(report, doomed)

    doomed.send_signal(signal.SIGKILL)
    doomed.communicate(timeout=GENEROUS)

    report.refresh_from_db()
    assert (report.status, bool(report.file)) == (JobStatus.RUNNING, False)
    assert [(run.status, run.worker_ids) for run in runs_of(report)] == [(TaskResultStatus.RUNNING, ["doomed-worker"])]
    assert stored_files(workers_database) == []

    retried = finish(manage(workers_database, "retry_stuck_reports", "--older-than-minutes", "0"))
    assert f"Queued again: report {report.pk} (network)" in retried
    finish(start_worker(workers_database, "rescuing-worker"))

    assert_whole(report, workers_database)
    dead, rescued = runs_of(report).order_by("enqueued_at")
    assert (dead.status, dead.worker_ids, dead.exception_class_path) == (
        TaskResultStatus.FAILED, ["doomed-worker"], "reviews.reports.tasks.WorkerStopped")
    assert (rescued.status, rescued.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["rescuing-worker"])
    assert stored_files(workers_database) == [report.file.name]
    assert Report.objects.filter(kind=ReportKind.NETWORK).count() == 1
