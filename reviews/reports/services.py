"""Reports as records: drafts cached by what they were built from, finals frozen and versioned,
and slow reports built by the background worker with their progress shown."""

import hashlib

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle, CycleEvent
from reviews.errors import ReviewError
from reviews.peer.models import Action, AgreedRating, Finding, PeerRating, TeamMember
from reviews.reports.build import build_service_report
from reviews.reports.data import data_hash, service_report_data
from reviews.reports.models import JobStatus, Report, ReportKind
from reviews.reports.tasks import build_report
from reviews.selfassessment.models import SelfRating

# Bump when a report's layout or contents change, so that cached drafts are rebuilt.
REPORT_FORMAT = "service-3"


def _latest(model, cycle_path, field):
    """Subquery: (count, latest) of a model's rows for the outer cycle, as one string."""
    rows = model.objects.filter(**{cycle_path: OuterRef("pk")}).order_by().values(cycle_path)
    return (
        Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        Subquery(rows.annotate(m=Max(field)).values("m")[:1]),
    )


def fingerprint(cycle):
    """A cheap summary of everything a service report shows, in one query: if nothing it reads
    has changed, the fingerprint is the same and the stored PDF is served as it is."""
    parts = {
        "self": _latest(SelfRating, "cycle", "updated_at"),
        "peer": _latest(PeerRating, "team_member__visit__cycle", "updated_at"),
        "agreed": _latest(AgreedRating, "cycle", "agreed_at"),
        "finding": _latest(Finding, "cycle", "pk"),
        "action": _latest(Action, "cycle", "updated_at"),
        "team": _latest(TeamMember, "visit__cycle", "pk"),
        "event": _latest(CycleEvent, "cycle", "pk"),
    }
    annotations = {f"{name}_{i}": expression for name, pair in parts.items() for i, expression in enumerate(pair)}
    # Other services' settled cycles (the network comparison) and this service's earlier ones
    # (the trend) change only through a change of stage, which is always a CycleEvent.
    network = CycleEvent.objects.filter(cycle__edition=OuterRef("edition")).order_by().values("cycle__edition")
    history = CycleEvent.objects.filter(cycle__service=OuterRef("service")).order_by().values("cycle__service")
    # Edits made elsewhere (in the admin: a finding's wording, an evidence title, a person's
    # name) are all in the audit log, so its latest entry is part of the fingerprint too.
    # (Entries about reports themselves are left out: building this draft must not make it stale.)
    edits = LogEntry.objects.exclude(content_type=ContentType.objects.get_for_model(Report))
    annotations["audit"] = Coalesce(Subquery(edits.order_by("-pk").values("pk")[:1]), Value(0))
    annotations["network"] = Coalesce(Subquery(network.annotate(m=Max("pk")).values("m")[:1]), Value(0))
    annotations["history"] = Coalesce(Subquery(history.annotate(m=Max("pk")).values("m")[:1]), Value(0))
    row = (
        Cycle.objects.filter(pk=cycle.pk)
        .annotate(**annotations)
        .values("state", "submitted_at", "visit__date", "decision__recorded_at", *annotations)
        .get()
    )
    text = REPORT_FORMAT + "|" + "|".join(f"{key}={row[key]}" for key in sorted(row))
    return hashlib.sha256(text.encode()).hexdigest()


def draft_service_report(cycle, *, requested_by=None):
    """The service report built from the current data, from storage when nothing changed."""
    print_ = fingerprint(cycle)
    cached = (
        Report.objects.filter(kind=ReportKind.SERVICE, cycle=cycle, is_final=False, fingerprint=print_,
                              status=JobStatus.READY)
        .exclude(file="")
        .first()
    )
    if cached is not None:
        return cached
    built = build_service_report(cycle, draft=True)
    same_data = (
        Report.objects.filter(kind=ReportKind.SERVICE, cycle=cycle, is_final=False, data_hash=built.data_hash,
                              status=JobStatus.READY)
        .exclude(file="")
        .first()
    )
    if same_data is not None:  # the fingerprint moved but nothing shown changed: keep the file
        same_data.fingerprint = print_
        same_data.save(update_fields=["fingerprint"])
        return same_data
    # seen_by_requester: built while they waited and handed over at once, so their home page
    # must not announce it as a background report that is ready (its link serves no service report).
    report = Report(kind=ReportKind.SERVICE, cycle=cycle, data_hash=built.data_hash, fingerprint=print_,
                    requested_by=requested_by, started_at=timezone.now(), seen_by_requester=True)
    report.keep_pdf(built.pdf, built.pages)
    report.save()
    return report


@transaction.atomic
def issue_final_report(cycle, *, issued_by):
    """Freezes the service report as a new final version: the file and its data hash never change."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_concluded:
        raise ReviewError(_("The report is issued as final once the decision is recorded."))
    previous = Report.objects.filter(kind=ReportKind.SERVICE, cycle=cycle, is_final=True).order_by("-version").first()
    version = (previous.version if previous else 0) + 1
    data = service_report_data(cycle)
    if previous is not None and previous.data_hash == data_hash(data):
        raise ReviewError(
            _("Nothing has changed since version %(version)d was issued, so there is no new version to issue.")
            % {"version": previous.version}
        )
    issued = {"version": version, "by": str(issued_by), "at": timezone.localdate().isoformat()}
    built = build_service_report(cycle, draft=False, issued=issued, data=data)
    report = Report(kind=ReportKind.SERVICE, cycle=cycle, is_final=True, version=version,
                    data_hash=built.data_hash, fingerprint=fingerprint(cycle), issued_by=issued_by,
                    issued_at=timezone.now(), requested_by=issued_by, started_at=timezone.now(),
                    seen_by_requester=True)
    report.keep_pdf(built.pdf, built.pages)
    report.save()
    return report


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


def build_again(report):
    """Queues a failed or stuck report again; the earlier attempt left no file behind."""
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
