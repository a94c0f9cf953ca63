"""After the draft report: comments on its factual accuracy, the changes made after them, the
decision, and the service's feedback on the visit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.cycles.models import Cycle
from reviews.peer.models.findings import Finding


class AccuracyComment(models.Model):
    """The service's comment on the factual accuracy of an agreed rating or a finding, and the
    lead reviewer's answer, before the report is final."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="accuracy_comments")
    criterion = models.ForeignKey(
        "standards.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("agreed rating of"),
    )
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="accuracy_comments",
        verbose_name=_("finding"),
    )
    text = models.TextField(_("comment"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(_("lead reviewer's answer"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("factual accuracy comment")

    def __str__(self):
        return self.text[:60]


class DecisionOutcome(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    AWARDED_WITH_CONDITIONS = "conditions", _("Awarded with conditions")
    DEFERRED = "deferred", _("Deferred")
    NOT_AWARDED = "not_awarded", _("Not awarded")


AWARD_OUTCOMES = (DecisionOutcome.AWARDED, DecisionOutcome.AWARDED_WITH_CONDITIONS)


class Decision(models.Model):
    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=20, choices=DecisionOutcome.choices)
    rationale = models.TextField(_("rationale"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recommended = models.BooleanField(_("award recommended by the thresholds"))
    percent_met = models.DecimalField(_("percent met"), max_digits=4, decimal_places=1, null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The lead reviewer who recommended the outcome the administrators ratified (reviews/decisions).
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recommended by"),
    )

    class Meta:
        verbose_name = _("decision")

    def __str__(self):
        return f"{self.cycle.service}: {self.get_outcome_display()}"

    @property
    def is_award(self):
        return self.outcome in AWARD_OUTCOMES

    def award_state(self, today=None):
        """"valid", "expiring" (within settings.AWARD_EXPIRY_WARNING_DAYS), "expired", or None
        when the outcome is no award or has no end date."""
        if not self.is_award or self.valid_until is None:
            return None
        today = today or timezone.localdate()
        if self.valid_until < today:
            return "expired"
        if (self.valid_until - today).days <= settings.AWARD_EXPIRY_WARNING_DAYS:
            return "expiring"
        return "valid"


class VisitFeedback(models.Model):
    """The service's view of the visit and the team: feedback runs both ways."""

    RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="feedback")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    visit_rating = models.PositiveSmallIntegerField(_("how useful was the visit?"), choices=RATING_CHOICES)
    team_rating = models.PositiveSmallIntegerField(_("how well did the team work with you?"), choices=RATING_CHOICES)
    went_well = models.TextField(_("what went well"), blank=True)
    could_improve = models.TextField(_("what could be better"), blank=True)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback on the visit")
        constraints = [models.UniqueConstraint(fields=["cycle", "given_by"], name="one_feedback_per_person")]

    def __str__(self):
        return f"{self.cycle.service}: {self.visit_rating}/5"


class ChangeSource(models.TextChoices):
    ACCURACY = "accuracy", _("The service's comment on factual accuracy")
    FOLLOW_UP = "follow_up", _("The follow-up review")


class RatingChange(models.Model):
    """A change to an agreed rating or a finding once the draft report has gone to the service:
    from what, to what, why, by whom and in answer to what. The agreed rating's own record holds
    only its latest version; these are the versions before it, for the report to say what changed."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="rating_changes")
    source = models.CharField(_("changed after"), max_length=20, choices=ChangeSource.choices)
    accuracy_comment = models.ForeignKey(
        AccuracyComment, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("agreed rating of"))
    from_level = models.ForeignKey("standards.RatingLevel", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("rating before"))
    from_not_applicable = models.BooleanField(default=False)
    to_level = models.ForeignKey("standards.RatingLevel", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("rating after"))
    to_not_applicable = models.BooleanField(default=False)
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="changes")
    from_text = models.TextField(_("finding before"), blank=True)
    to_text = models.TextField(_("finding after"), blank=True)
    reason = models.TextField(_("why it changed"))
    version = models.PositiveIntegerField(_("version after the change"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("change after the draft report")
        constraints = [
            models.CheckConstraint(
                condition=Q(criterion__isnull=False, finding__isnull=True) | Q(criterion__isnull=True, finding__isnull=False),
                name="change_is_of_a_rating_or_a_finding",
            ),
        ]

    def __str__(self):
        return f"{self.cycle_id}: {self.criterion_id or self.finding_id} ({self.source})"

    @staticmethod
    def label(level, not_applicable):
        return _("Not applicable") if not_applicable else (level.label if level is not None else "")

    @property
    def from_label(self):
        return self.label(self.from_level, self.from_not_applicable)

    @property
    def to_label(self):
        return self.label(self.to_level, self.to_not_applicable)
