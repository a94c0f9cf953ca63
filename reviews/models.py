"""Review cycles: a service's round of self-assessment and peer review against one edition."""

from django.conf import settings
from django.db import models
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

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("review cycle")

    def __str__(self):
        return f"{self.service} – {self.edition} ({self.get_state_display()})"
