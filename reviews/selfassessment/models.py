"""The self-assessment: each perspective's answers and the evidence that supports them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.cycles.models import Cycle


class Perspective(models.TextChoices):
    """Whose voice an answer is in. The two are shown side by side and never merged."""

    STAFF = "staff", _("Staff")
    MEMBERS = "members", _("Members")


def evidence_path(evidence, filename):
    # The stored name never comes from the uploader: no path tricks, no clashes.
    return f"evidence/cycle-{evidence.cycle_id}/{uuid.uuid4().hex}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


class Evidence(models.Model):
    """A file or link that shows how the service meets criteria. Files are private."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    effective_date = models.DateField(_("date of the evidence"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    added_as = models.CharField(_("added as"), max_length=10, choices=Perspective.choices, default=Perspective.STAFF)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    # Set when the file itself was removed (the retention policy, an erasure): the record stays.
    file_removed_at = models.DateTimeField(_("file removed"), null=True, blank=True)
    file_removed_reason = models.CharField(_("why the file was removed"), max_length=200, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.title


class SelfRating(models.Model):
    """One perspective's answer for one criterion: a level or Not applicable, what shows it, and
    the evidence that supports it. `version` grows with each save, so that two people editing
    at once cannot silently overwrite each other."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="self_ratings")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="self_ratings")
    perspective = models.CharField(_("perspective"), max_length=10, choices=Perspective.choices)
    level = models.ForeignKey(
        "standards.RatingLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("rating"),
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    not_applicable_reason = models.TextField(_("why it does not apply"), blank=True)
    narrative = models.TextField(_("what shows it"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="self_ratings", verbose_name=_("evidence"))
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("last saved by"),
    )

    class Meta:
        ordering = ["criterion__value__order", "criterion__order", "perspective"]
        verbose_name = _("self-assessment answer")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "criterion", "perspective"], name="one_answer_per_perspective"),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(level__isnull=True),
                name="not_applicable_has_no_level",
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code} ({self.get_perspective_display()})"

    @property
    def is_answered(self):
        return self.level_id is not None or self.not_applicable
