"""Reports as records: built PDFs, drafts cached by what they show, finals frozen and versioned."""

import hashlib
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.cycles.models import Cycle


class ReportKind(models.TextChoices):
    SERVICE = "service", _("Service report")
    SUMMARY = "summary", _("One-page summary")
    PORTFOLIO = "portfolio", _("Commissioner's portfolio")
    NETWORK = "network", _("Network report")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def report_path(report, filename):
    return f"reports/{report.kind}/{uuid.uuid4().hex}.pdf"


class Report(models.Model):
    """A built PDF. A final report is frozen: its file and the hash of the data it was built
    from never change, and a new version is a new record. Drafts are kept as a cache: the same
    data hash is served from storage instead of being rebuilt."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, null=True, blank=True, related_name="reports")
    edition = models.ForeignKey("standards.Edition", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("For reports about one person's view, such as a commissioner's portfolio."),
    )
    options = models.JSONField(default=dict, blank=True)
    is_final = models.BooleanField(_("final"), default=False)
    version = models.PositiveIntegerField(_("version"), default=0)
    data_hash = models.CharField(_("hash of the data"), max_length=64, db_index=True)
    fingerprint = models.CharField(max_length=64, db_index=True, blank=True)
    file = models.FileField(upload_to=report_path, blank=True, max_length=200)
    size = models.PositiveIntegerField(null=True, blank=True)
    # The SHA-256 of the stored PDF, taken when it was stored: a restored backup proves it is whole.
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.READY)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    seen_by_requester = models.BooleanField(default=False)
    # A report is built for its reader's disclosure set (reviews/disclosure.py): `audience` is that
    # set's key, empty for the whole report. A final's `snapshot` is the data it was issued from,
    # so that each reader's copy of it is built from the same frozen data.
    audience = models.CharField(max_length=16, blank=True, default="")
    snapshot = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "version", "audience"], condition=Q(is_final=True),
                name="one_final_per_version_and_audience",
            ),
        ]

    def __str__(self):
        subject = self.cycle.service if self.cycle_id else (self.edition or "")
        final = f" v{self.version}" if self.is_final else " (draft)"
        return f"{self.get_kind_display()}: {subject}{final}"

    def keep_pdf(self, pdf, pages):
        """Stores the built PDF with this record (saved by the caller) and marks it ready."""
        self.file.save(f"{self.kind}.pdf", ContentFile(pdf), save=False)
        self.size = len(pdf)
        self.file_sha256 = hashlib.sha256(pdf).hexdigest()
        self.pages = pages
        self.status = JobStatus.READY
        self.finished_at = timezone.now()
