"""Stored report PDFs after an erasure. A final report's snapshot (the data it was issued from) has
had the person's name replaced by then: its PDF is built again from it, replaces the old file and
is recorded in the audit log. Other PDFs that may name the person (drafts, readers' copies of a
final, a person's portfolio) are a cache: they are deleted and built again when next asked for."""

from collections import defaultdict

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db import transaction
from django.utils import timezone

from reviews.models import Report, TeamMember
from reviews.reports.build import build_service_report
from reviews.reports.data import data_hash

REBUILT_REASON = "Rebuilt after a person's personal data was erased: their name is replaced in it."


def cycles_touched(user, hits):
    """The review cycles whose reports may name the person: any cycle of a row in which their name
    was replaced, and every cycle whose review team they were on."""
    rows = defaultdict(set)  # model: the keys of its rows that name them
    for hit in hits:
        model = hit.column.model
        if model is Report or not any(f.name == "cycle" for f in model._meta.concrete_fields):
            continue
        rows[model].add(hit.pk)
    cycles = set()
    for model, keys in rows.items():  # a query a table, however many rows name them
        cycles.update(model._base_manager.filter(pk__in=keys).values_list("cycle_id", flat=True))
    cycles.update(TeamMember.objects.filter(user=user).values_list("visit__cycle_id", flat=True))
    cycles.discard(None)
    return cycles


def finals_to_rebuild(hits):
    """The whole final reports (the issued record, not a reader's copy) whose snapshot named them."""
    ids = {hit.pk for hit in hits if hit.column.model is Report and hit.column.field.name == "snapshot"}
    return list(Report.objects.filter(pk__in=ids, is_final=True, audience="").select_related("cycle", "issued_by"))


def copies_to_delete(user, cycles, rebuilt):
    """Reports kept as a cache that may name the person."""
    drafts = Report.objects.filter(is_final=False, cycle__in=cycles)
    owned = Report.objects.filter(owner=user)
    readers_copies = Report.objects.none()
    for final in rebuilt:
        readers_copies |= Report.objects.filter(cycle=final.cycle_id, is_final=True, version=final.version).exclude(
            audience="")
    return list((drafts | owned | readers_copies).distinct())


def rebuild_final(final):
    """Builds a final report's PDF again from its (rewritten) snapshot, as its issued version; the
    old file is deleted once the transaction commits. Returns the old and new SHA-256."""
    issued = {"version": final.version, "by": str(final.issued_by or ""),
              "at": timezone.localdate(final.issued_at).isoformat() if final.issued_at else timezone.localdate().isoformat()}
    built = build_service_report(final.cycle, issued=issued, data=final.snapshot)
    old_name, old_sha, old_hash = final.file.name, final.file_sha256, final.data_hash
    final.keep_pdf(built.pdf, built.pages)
    final.data_hash = data_hash(final.snapshot)
    with disable_auditlog():
        final.save()
    LogEntry.objects.log_create(
        final, force_log=True, action=LogEntry.Action.UPDATE, changes_text=REBUILT_REASON,
        changes={"file_sha256": [old_sha, final.file_sha256], "data_hash": [old_hash, final.data_hash]},
        additional_data={"reason": REBUILT_REASON},
    )
    if old_name:
        storage = final.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return old_sha, final.file_sha256


def delete_copy(report):
    """Deletes a cached report and (once the transaction commits) its file."""
    name, storage = report.file.name, report.file.storage
    report.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
