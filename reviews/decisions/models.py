"""Deciding a review: the lead reviewer recommends, network administrators not on the team
ratify or return it; a deferred outcome opens a follow-up of the unmet criteria; the service
may appeal within a window; an award may have an interim review at mid-term."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.cycles.models import Cycle
from reviews.peer.models import DecisionOutcome


class RecommendationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for ratification")
    RATIFIED = "ratified", _("Ratified")
    RETURNED = "returned", _("Returned to the lead reviewer")


class Recommendation(models.Model):
    """The outcome the lead reviewer recommends, with reasons: of the review itself, or of its
    follow-up (`follow_up`). It becomes the decision when enough administrators ratify it."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="recommendations")
    follow_up = models.ForeignKey(
        "FollowUp", on_delete=models.CASCADE, null=True, blank=True, related_name="recommendations"
    )
    outcome = models.CharField(_("recommended outcome"), max_length=20, choices=DecisionOutcome.choices)
    reasons = models.TextField(_("reasons"))
    valid_until = models.DateField(_("award valid until"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up due by"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recommended by"),
    )
    recommended_at = models.DateTimeField(_("recommended"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.PENDING
    )
    returned_reason = models.TextField(_("why it was returned"), blank=True)
    settled_at = models.DateTimeField(_("ratified or returned"), null=True, blank=True)

    class Meta:
        ordering = ["recommended_at", "pk"]
        verbose_name = _("recommended outcome")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(status="pending"), name="one_pending_recommendation_per_cycle"
            ),
        ]

    def __str__(self):
        return f"{self.cycle.service}: {self.get_outcome_display()} ({self.get_status_display()})"


class RatificationVote(models.Model):
    """One administrator's ratification of a recommendation, or their return of it."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="votes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ratified = models.BooleanField(_("ratified"))
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("ratification")
        constraints = [models.UniqueConstraint(fields=["recommendation", "by"], name="one_vote_per_person")]

    def __str__(self):
        return f"{self.by}: {'ratified' if self.ratified else 'returned'}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the service's new evidence")
    SUBMITTED = "submitted", _("With the lead reviewer")
    DECIDED = "decided", _("Decided")


class FollowUp(models.Model):
    """A focused review after a deferral: only the criteria not met, with its own due date,
    the service's new answers and evidence, the lead reviewer's new ratings and a decision."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="follow_ups")
    criteria = models.ManyToManyField("standards.Criterion", related_name="+", verbose_name=_("criteria"))
    due_on = models.DateField(_("due by"))
    status = models.CharField(_("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    earlier_outcome = models.CharField(_("outcome before the follow-up"), max_length=20,
                                       choices=DecisionOutcome.choices)

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = _("follow-up review")
        constraints = [
            models.UniqueConstraint(fields=["cycle"], condition=~Q(status="decided"), name="one_open_follow_up_per_cycle"),
        ]

    def __str__(self):
        return f"{self.cycle.service}: follow-up due {self.due_on}"

    @property
    def is_open(self):
        return self.status != FollowUpStatus.DECIDED


class FollowUpAnswer(models.Model):
    """The service's new answer for one criterion of a follow-up: what has changed, and evidence."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+")
    narrative = models.TextField(_("what has changed, and what shows it"), blank=True)
    evidence = models.ManyToManyField("reviews.Evidence", blank=True, related_name="follow_up_answers")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up answer")
        constraints = [models.UniqueConstraint(fields=["follow_up", "criterion"], name="one_follow_up_answer_per_criterion")]

    def __str__(self):
        return f"{self.follow_up_id}: {self.criterion_id}"


class FollowUpRating(models.Model):
    """The lead reviewer's new rating of one criterion in a follow-up. It replaces the agreed
    rating (recorded as a change) when the follow-up's decision is ratified."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("standards.RatingLevel", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("new rating"))
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    rationale = models.TextField(_("rationale"), blank=True)
    version = models.PositiveIntegerField(default=0)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up rating")
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "criterion"], name="one_follow_up_rating_per_criterion"),
            models.CheckConstraint(
                condition=Q(not_applicable=True, level__isnull=True) | Q(not_applicable=False, level__isnull=False),
                name="follow_up_rating_is_level_or_na",
            ),
        ]

    def __str__(self):
        return f"{self.follow_up_id}: {self.criterion_id}"


class AppealStatus(models.TextChoices):
    LODGED = "lodged", _("Under appeal")
    DECIDED = "decided", _("Appeal decided")
    WITHDRAWN = "withdrawn", _("Appeal withdrawn")


class AppealResult(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Appeal(models.Model):
    """The service's appeal against a decision, within the network's window, with its grounds;
    a panel of people not involved in the review decides it."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="appeals")
    grounds = models.TextField(_("grounds for the appeal"))
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    lodged_at = models.DateTimeField(_("lodged"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.LODGED)
    panel = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="appeal_panels",
                                   verbose_name=_("appeal panel"))
    earlier_outcome = models.CharField(_("outcome appealed against"), max_length=20, choices=DecisionOutcome.choices)
    result = models.CharField(_("result"), max_length=20, choices=AppealResult.choices, blank=True)
    new_outcome = models.CharField(_("outcome after the appeal"), max_length=20, choices=DecisionOutcome.choices,
                                   blank=True)
    reasons = models.TextField(_("the panel's reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["lodged_at", "pk"]
        verbose_name = _("appeal")
        constraints = [
            models.UniqueConstraint(fields=["cycle"], condition=Q(status="lodged"), name="one_open_appeal_per_cycle"),
        ]

    def __str__(self):
        return f"{self.cycle.service}: appeal ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status == AppealStatus.LODGED


class InterimReview(models.Model):
    """A light update at mid-term of an award: what has changed, value by value, and progress on
    the action plan, read by the lead reviewer or an administrator."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="interim_reviews")
    due_on = models.DateField(_("due by"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    statement = models.TextField(_("what has changed since the review"), blank=True)
    by_value = models.JSONField(_("what has changed, value by value"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("read"), null=True, blank=True)
    review_note = models.TextField(_("the network's note"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("interim review")

    def __str__(self):
        return f"{self.cycle.service}: interim review due {self.due_on}"
