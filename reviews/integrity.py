"""What proves the review records' stored files whole, for `verify_stored_files` and for a
restored backup (assurance.backups.verify finds this module): each final report's file against
the SHA-256 taken when it was stored and its snapshot against its data hash, each other stored
report with a recorded hash, and each evidence file against its SHA-256."""

from assurance.backups.verify import file_problem, register
from reviews.reports.data import data_hash
from reviews.reports.models import Report
from reviews.selfassessment.models import Evidence, EvidenceKind


def _report_label(report):
    if report.cycle_id:
        audience = f", copy for {report.audience}" if report.audience else ""
        version = f" version {report.version}" if report.is_final else " draft"
        return f"Report {report.pk} ({report.cycle.service.name}{version}{audience})"
    return f"Report {report.pk} ({report.get_kind_display()})"


def check_final_reports(storage):
    checked, problems = 0, []
    finals = Report.objects.filter(is_final=True).select_related("cycle__service").order_by("pk")
    for report in finals.iterator(chunk_size=200):
        checked += 1
        label = _report_label(report)
        if report.snapshot is not None and data_hash(report.snapshot) != report.data_hash:
            problems.append(f"{label}: its snapshot no longer has the data hash {report.data_hash[:12]}… it was issued with")
        if not report.file:
            problems.append(f"{label}: it has no stored file")
        elif not report.file_sha256:
            problems.append(f"{label}: no SHA-256 was recorded for {report.file.name}, so it cannot be verified")
        else:
            problems.append(file_problem(storage, report.file.name, report.file_sha256, label))
    return checked, [problem for problem in problems if problem]


def check_other_reports(storage):
    """Drafts and background reports are rebuilt when their data changes, but a stored one is served
    as it is, so a damaged one is named too."""
    others = (Report.objects.filter(is_final=False).exclude(file="").exclude(file_sha256="")
              .select_related("cycle__service").order_by("pk"))
    checked, problems = 0, []
    for report in others.iterator(chunk_size=200):
        checked += 1
        problems.append(file_problem(storage, report.file.name, report.file_sha256, _report_label(report)))
    return checked, [problem for problem in problems if problem]


def check_evidence_files(storage):
    kept = (Evidence.objects.filter(kind=EvidenceKind.FILE, file_removed_at__isnull=True).exclude(file="")
            .select_related("cycle__service").order_by("pk"))
    checked, problems = 0, []
    for evidence in kept.iterator(chunk_size=200):
        checked += 1
        label = f"Evidence {evidence.pk} ({evidence.original_name or evidence.title}, {evidence.cycle.service.name})"
        if not evidence.sha256:
            problems.append(f"{label}: no SHA-256 was recorded for {evidence.file.name}, so it cannot be verified")
        else:
            problems.append(file_problem(storage, evidence.file.name, evidence.sha256, label))
    return checked, [problem for problem in problems if problem]


register("final reports", check_final_reports)
register("other stored reports", check_other_reports)
register("evidence files", check_evidence_files)
