"""Reports as records: drafts cached by what they were built from, finals frozen and versioned,
and slow reports built by the background worker with their progress shown."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle
from reviews.disclosure import WHOLE_REPORT, disclosure
from reviews.errors import ReviewError
from reviews.reports.build import build_service_report
from reviews.reports.data import data_hash, service_report_data
from reviews.reports.fingerprint import fingerprint
from reviews.reports.models import JobStatus, Report, ReportKind
from reviews.reports.queries import final_reports
from reviews.reports.report_page import keep_report_data
from reviews.reports.tasks import build_report, give_up_unfinished_runs


def latest_final(cycle):
    """The latest issued version of a decided review's report: what its draft link and
    `render_report` give, since a draft of a decided review would only mislead. None before one
    is issued (they then give a working copy, marked as such)."""
    if not cycle.is_concluded:
        return None
    return final_reports(cycle).order_by("-version").first()


def draft_service_report(cycle, *, reader, requested_by=None):
    """The service report as `reader` may read it, built from the current data, from storage when
    nothing it shows has changed. Each disclosure set has its own stored copy."""
    disclosed = disclosure(reader, cycle)
    print_ = fingerprint(cycle)  # the copies are already told apart by their audience
    drafts = Report.objects.filter(kind=ReportKind.SERVICE, cycle=cycle, is_final=False, status=JobStatus.READY,
                                   audience=disclosed.key).exclude(file="")
    cached = drafts.filter(fingerprint=print_).first()
    if cached is not None:
        return cached
    built = build_service_report(cycle, disclosed=disclosed)
    same_data = drafts.filter(data_hash=built.data_hash).first()
    if same_data is not None:  # the fingerprint moved but nothing shown changed: keep the file
        same_data.fingerprint = print_
        same_data.save(update_fields=["fingerprint"])
        return same_data
    # seen_by_requester: built while they waited and handed over at once, so their home page
    # must not announce it as a background report that is ready (its link serves no service report).
    report = Report(kind=ReportKind.SERVICE, cycle=cycle, data_hash=built.data_hash, fingerprint=print_,
                    audience=disclosed.key, requested_by=requested_by or reader, started_at=timezone.now(),
                    seen_by_requester=True)
    report.keep_pdf(built.pdf, built.pages)
    report.save()
    return report


@transaction.atomic
def issue_final_report(cycle, *, issued_by):
    """Freezes the service report as a new final version: its data (the snapshot every reader's
    copy is built from), the data's hash and the whole report's file never change."""
    report, previous = _issue_if_changed(cycle, issued_by)
    if report is None:
        raise ReviewError(
            _("Nothing has changed since version %(version)d was issued, so there is no new version to issue.")
            % {"version": previous.version}
        )
    return report


def issue_on_decision(sender, cycle, actor, reason, **kwargs):
    """Receives `decision_changed` (connected in ReviewsConfig.ready): issues the final report's
    next version in the decision's own transaction, so a decision never goes without its report.
    Only a change the report would not show (nothing it reads is different) issues nothing."""
    report, _previous = _issue_if_changed(cycle, actor)
    return report


def _issue_if_changed(cycle, issued_by):
    """(the new final version, the one before it); no new version when its data is the same."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_concluded:
        raise ReviewError(_("The report is issued as final once the decision is recorded."))
    previous = final_reports(cycle).order_by("-version").first()
    data = service_report_data(cycle)
    if previous is not None and previous.data_hash == data_hash(data):
        return None, previous
    version = (previous.version if previous else 0) + 1
    issued = {"version": version, "by": str(issued_by), "at": timezone.localdate().isoformat()}
    print_ = fingerprint(cycle)
    keep_report_data(cycle, data, print_)  # the report page's first view need not gather it again
    built = build_service_report(cycle, disclosed=WHOLE_REPORT, issued=issued, data=data)
    report = Report(kind=ReportKind.SERVICE, cycle=cycle, is_final=True, version=version, snapshot=data,
                    data_hash=data_hash(data), fingerprint=print_, issued_by=issued_by,
                    issued_at=timezone.now(), requested_by=issued_by, started_at=timezone.now(),
                    seen_by_requester=True)
    report.keep_pdf(built.pdf, built.pages)
    report.save()
    return report, previous


def final_copy_for(final, reader):
    """A final report as `reader` may read it: the whole report for those who see all of it;
    otherwise their own copy, built once from the frozen snapshot and then kept as it is."""
    disclosed = disclosure(reader, final.cycle)
    if disclosed.facts >= WHOLE_REPORT.facts:
        return final
    copies = Report.objects.filter(kind=ReportKind.SERVICE, cycle=final.cycle_id, is_final=True,
                                   version=final.version, audience=disclosed.key)
    existing = copies.first()
    if existing is not None:
        return existing
    # Finals issued before snapshots were kept are read from the cycle as it is now.
    data = final.snapshot if final.snapshot is not None else service_report_data(final.cycle)
    issued = {"version": final.version, "by": str(final.issued_by or ""),
              "at": timezone.localdate(final.issued_at).isoformat()}
    built = build_service_report(final.cycle, disclosed=disclosed, issued=issued, data=data)
    readers_copy = Report(kind=ReportKind.SERVICE, cycle=final.cycle, is_final=True, version=final.version,
                  audience=disclosed.key, data_hash=built.data_hash, fingerprint=final.fingerprint,
                  issued_by=final.issued_by, issued_at=final.issued_at, requested_by=reader,
                  started_at=timezone.now(), seen_by_requester=True)
    readers_copy.keep_pdf(built.pdf, built.pages)
    try:
        with transaction.atomic():
            readers_copy.save()
    except IntegrityError:  # another request built the same copy meanwhile: theirs is kept
        readers_copy.file.delete(save=False)
        return copies.get()
    return readers_copy


def read_pdf(report):
    with report.file.open("rb") as file:
        return file.read()


# --- reports built by the background worker ---------------------------------------------------

STALE_AFTER_MINUTES = 15


def request_network_report(*, edition, year, names, requested_by):
    return _queue(Report(kind=ReportKind.NETWORK, edition=edition, year=year, options={"names": names},
                         requested_by=requested_by, owner=requested_by))


def request_portfolio_report(*, requested_by):
    return _queue(Report(kind=ReportKind.PORTFOLIO, requested_by=requested_by, owner=requested_by))


def _queue(report):
    report.status = JobStatus.QUEUED
    report.stage = _("Waiting for the report worker")
    report.data_hash = ""
    with transaction.atomic():
        report.save()
        transaction.on_commit(lambda: build_report.enqueue(report.pk))
    return report


@transaction.atomic
def build_again(report):
    """Queues a failed or stuck report again; the earlier attempt left no file behind. A stuck
    attempt's run is recorded as failed, so the task worker's records do not show it running."""
    if report.status == JobStatus.RUNNING:
        give_up_unfinished_runs(report.pk)
    report.status = JobStatus.QUEUED
    report.progress = 0
    report.error = ""
    report.stage = _("Waiting for the report worker")
    report.save(update_fields=["status", "progress", "error", "stage"])
    transaction.on_commit(lambda: build_report.enqueue(report.pk))
    return report


def mark_seen(report, user):
    """The person who asked for a background report has it: their home page stops announcing it."""
    if report.requested_by_id == user.pk and not report.seen_by_requester:
        Report.objects.filter(pk=report.pk).update(seen_by_requester=True)


def is_stuck(report):
    if report.status != JobStatus.RUNNING or report.started_at is None:
        return False
    return (timezone.now() - report.started_at).total_seconds() > STALE_AFTER_MINUTES * 60


def stuck_reports(older_than_minutes=STALE_AFTER_MINUTES):
    """Reports being built for longer than that: their worker was killed or its host went away."""
    since = timezone.now() - timedelta(minutes=older_than_minutes)
    return Report.objects.filter(status=JobStatus.RUNNING, started_at__lte=since).order_by("started_at", "pk")


@transaction.atomic
def retry_stuck_report(report_id, *, older_than_minutes=STALE_AFTER_MINUTES):
    """Queues a stuck report again; None if it finished or was queued again meanwhile."""
    report = stuck_reports(older_than_minutes).select_for_update().filter(pk=report_id).first()
    if report is None:
        return None
    return build_again(report)
