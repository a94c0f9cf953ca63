"""Reports built in the background by the task worker (`manage.py db_worker`)."""

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from reviews.reports.build import build_network_report, build_portfolio_report
from reviews.reports.models import JobStatus, Report, ReportKind


@task
def build_report(report_id):
    """Builds a network report or a portfolio PDF in the background, with progress recorded."""
    return run_report_job(report_id).pk


def run_report_job(report_id):
    """Builds a queued report. The PDF is stored whole, then the record says it is ready: a
    worker killed half way leaves the report 'being built' with no file, and it can run again."""
    report = Report.objects.select_related("edition__framework", "owner").get(pk=report_id)
    if report.status == JobStatus.READY and report.file:
        return report
    Report.objects.filter(pk=report.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(), progress=5,
                                               stage=_("Starting"), error="")

    def progress(percent, stage):
        Report.objects.filter(pk=report.pk).update(progress=percent, stage=stage)

    try:
        if report.kind == ReportKind.NETWORK:
            built = build_network_report(report.edition, report.year, names=report.options.get("names", False),
                                         progress=progress)
        else:
            built = build_portfolio_report(report.owner, progress=progress)
        progress(95, _("Saving"))
        report.refresh_from_db()
        report.data_hash = built.data_hash
        report.progress = 100
        report.stage = _("Ready")
        report.keep_pdf(built.pdf, built.pages)
        report.save()
    except Exception as error:
        # Storing fails too (a full disk): the job failed, with its error, and keeps no file.
        if report.file:
            report.file.delete(save=False)
        Report.objects.filter(pk=report.pk).update(status=JobStatus.FAILED, error=str(error)[:2000],
                                                   stage=_("Failed"), file="")
        raise
    return report


class WorkerStopped(RuntimeError):
    """The worker building a report stopped (killed, or its host went away) before it finished."""


def give_up_unfinished_runs(report_id):
    """Marks the task worker's runs of this report that are still 'running' as failed: their
    worker is gone (it would have recorded an outcome), and the report is queued again instead.
    Returns how many there were."""
    runs = DBTaskResult.objects.filter(task_path=build_report.module_path, status=TaskResultStatus.RUNNING,
                                       args_kwargs__args=[report_id])
    stopped = WorkerStopped(_("The worker stopped before the report was built; it was queued again."))
    count = 0
    for run in runs.select_for_update():
        run.set_failed(stopped)
        count += 1
    return count
