"""The review cycle: a service's round of self-assessment and peer review against one edition,
its stages and the events that moved it from one to the next."""

import enum

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

    # Groups of stages, each defined here once. (nonmember: a group is not a stage itself.)
    # Not closed: a service has one such cycle at a time.
    UNDER_WAY = enum.nonmember(frozenset({
        "open", "self_assessment_submitted", "visit", "ratings_agreed", "report_draft", "final",
    }))
    # Before the report is final: the review team is still at work.
    BEFORE_FINAL = enum.nonmember(frozenset({
        "open", "self_assessment_submitted", "visit", "ratings_agreed", "report_draft",
    }))
    # The review team may still change, and the visit be planned.
    TEAM_CAN_CHANGE = enum.nonmember(frozenset({"open", "self_assessment_submitted", "visit"}))
    # Members may answer the questionnaire until the visit is over.
    QUESTIONNAIRE_OPEN = enum.nonmember(frozenset({"open", "self_assessment_submitted", "visit"}))
    # Findings and actions are recorded from the visit until the report is final.
    FINDINGS_OPEN = enum.nonmember(frozenset({"visit", "ratings_agreed", "report_draft"}))
    # The agreed ratings are settled: they count in trends, comparisons and the network.
    SETTLED = enum.nonmember(frozenset({"ratings_agreed", "report_draft", "final", "closed"}))
    # The service has the (draft or final) report.
    REPORTED = enum.nonmember(frozenset({"report_draft", "final", "closed"}))
    # The decision is recorded and the report is final.
    CONCLUDED = enum.nonmember(frozenset({"final", "closed"}))


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
    members_stated = models.PositiveIntegerField(
        _("members at the service"), null=True, blank=True,
        help_text=_("How many people live in or use the service now: the members' response rate is counted against it."),
    )
    submitted_at = models.DateTimeField(_("self-assessment submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    independent_ratings = models.BooleanField(
        _("reviewers rate independently"),
        default=True,
        help_text=_("Each reviewer sees the others' ratings only after submitting their own."),
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

    @property
    def is_settled(self):
        return self.state in CycleState.SETTLED

    @property
    def is_concluded(self):
        return self.state in CycleState.CONCLUDED


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
        # Stored as the audit log's name of the event: the service and the stages in words.
        return f"{self.cycle.service}: {self.get_from_state_display() or '–'} → {self.get_to_state_display()}"
