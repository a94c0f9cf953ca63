"""Review cycles: a service's round of self-assessment and peer review against one edition."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CycleState(models.TextChoices):
    OPEN = "open", _("Self-assessment open")
    SELF_ASSESSMENT_SUBMITTED = "self_assessment_submitted", _("Self-assessment submitted")
    VISIT = "visit", _("Peer-review visit")
    RATINGS_AGREED = "ratings_agreed", _("Ratings agreed")
    REPORT_DRAFT = "report_draft", _("Draft report")
    FINAL = "final", _("Final report issued")
    CLOSED = "closed", _("Closed")


class Cycle(models.Model):
    service = models.ForeignKey(
        "assurance.Service", on_delete=models.PROTECT, related_name="cycles", verbose_name=_("service")
    )
    edition = models.ForeignKey(
        "standards.Edition", on_delete=models.PROTECT, related_name="cycles", verbose_name=_("standards edition")
    )
    state = models.CharField(_("state"), max_length=32, choices=CycleState.choices, default=CycleState.OPEN)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    self_assessment_due = models.DateField(_("self-assessment due"), null=True, blank=True)
    visit_due = models.DateField(_("visit due by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("self-assessment submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("review cycle")
        constraints = [
            # A service works on one cycle at a time; closed cycles stay as its history.
            models.UniqueConstraint(
                fields=["service"], condition=~Q(state="closed"), name="one_active_cycle_per_service"
            )
        ]

    def __str__(self):
        return f"{self.service} – {self.edition} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("reviews:cycle", args=[self.pk])

    @property
    def self_assessment_is_open(self):
        return self.state == CycleState.OPEN


class CycleEvent(models.Model):
    """A step in the cycle's life (opened, submitted, reopened, ...), with who, when and why."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(_("from"), max_length=32, choices=CycleState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=32, choices=CycleState.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("cycle event")

    def __str__(self):
        return f"{self.cycle_id}: {self.from_state or '–'} → {self.to_state}"


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


class TeamRole(models.TextChoices):
    PEER_REVIEWER = "peer_reviewer", _("Peer reviewer")
    LIVED_EXPERIENCE_REVIEWER = "lived_experience_reviewer", _("Lived-experience reviewer")
    LEAD_REVIEWER = "lead_reviewer", _("Lead reviewer")


class Visit(models.Model):
    """The peer-review visit of a cycle."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="visit")
    date = models.DateField(_("visit date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("visit")

    def __str__(self):
        return f"{self.cycle.service} visit"


class TeamMember(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_places")
    role = models.CharField(_("role on the team"), max_length=32, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("review team member")
        constraints = [models.UniqueConstraint(fields=["visit", "user"], name="one_place_per_visit")]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}"
