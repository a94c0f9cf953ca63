"""The peer review: the visit and its team, independent and agreed ratings, findings, actions,
factual accuracy, the decision and the service's feedback on the visit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assurance.models import RoleKind
from reviews.cycles.models import Cycle


class TeamRole(models.TextChoices):
    PEER_REVIEWER = "peer_reviewer", _("Peer reviewer")
    LIVED_EXPERIENCE_REVIEWER = "lived_experience_reviewer", _("Lived-experience reviewer")
    LEAD_REVIEWER = "lead_reviewer", _("Lead reviewer")


# The reviewer role a person needs in the network for each place on a team.
ROLE_FOR_PLACE = {
    TeamRole.PEER_REVIEWER: RoleKind.PEER_REVIEWER,
    TeamRole.LIVED_EXPERIENCE_REVIEWER: RoleKind.LIVED_EXPERIENCE_REVIEWER,
    TeamRole.LEAD_REVIEWER: RoleKind.LEAD_REVIEWER,
}


class Visit(models.Model):
    """The peer-review visit of a cycle: when, the plan for the day, and the team."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="visit")
    date = models.DateField(_("visit date"), null=True, blank=True)
    notes = models.TextField(_("notes for the team"), blank=True)

    class Meta:
        verbose_name = _("visit")

    def __str__(self):
        return f"{self.cycle.service} visit"


class TimetableKind(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival and introductions")
    MEMBERS = "members", _("Meeting with members")
    STAFF = "staff", _("Meeting with staff")
    LEADERS = "leaders", _("Meeting with leaders")
    COMMUNITY = "community", _("Community meeting")
    TOUR = "tour", _("Tour of the environment")
    TEAM = "team", _("Review team discussion")
    FEEDBACK = "feedback", _("Feedback to the service")
    OTHER = "other", _("Other")


class TimetableItem(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="timetable")
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"), null=True, blank=True)
    kind = models.CharField(_("what"), max_length=20, choices=TimetableKind.choices)
    details = models.CharField(_("details"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("timetable item")

    def __str__(self):
        return f"{self.starts_at:%H:%M} {self.get_kind_display()}"


class TeamMember(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_places")
    role = models.CharField(_("role on the team"), max_length=32, choices=TeamRole.choices)
    no_conflict_declared_at = models.DateTimeField(_("declared no conflict of interest"), null=True, blank=True)
    ratings_submitted_at = models.DateTimeField(_("ratings submitted"), null=True, blank=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("review team member")
        constraints = [
            models.UniqueConstraint(fields=["visit", "user"], name="one_place_per_visit"),
            models.UniqueConstraint(fields=["visit"], condition=Q(role="lead_reviewer"), name="one_lead_per_visit"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}"

    @property
    def is_lead(self):
        return self.role == TeamRole.LEAD_REVIEWER

    @property
    def has_submitted(self):
        return self.ratings_submitted_at is not None


class ConflictOfInterest(models.Model):
    """A reviewer's declared tie to a service (worked or lived there, family, ...): never on its team."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    service = models.ForeignKey("assurance.Service", on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["user", "service"], name="one_conflict_per_service")]

    def __str__(self):
        return f"{self.user} – {self.service}"


class PeerRating(models.Model):
    """One reviewer's own rating of one criterion: a level, Not applicable, or an abstention."""

    team_member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="peer_ratings")
    level = models.ForeignKey(
        "standards.RatingLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("rating"),
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    abstained = models.BooleanField(_("abstained"), default=False)
    abstain_reason = models.CharField(_("why abstaining"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("peer rating")
        constraints = [
            models.UniqueConstraint(fields=["team_member", "criterion"], name="one_peer_rating_per_criterion"),
            models.CheckConstraint(
                condition=(Q(level__isnull=False) & Q(not_applicable=False) & Q(abstained=False))
                | (Q(level__isnull=True) & ~(Q(not_applicable=True) & Q(abstained=True))),
                name="peer_rating_is_one_thing",
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code} by {self.team_member.user}"

    @property
    def is_answered(self):
        """Rated with a level, Not applicable, or an abstention with a reason: the one rule for
        a reviewer's rating, used for progress and for submitting alike."""
        return self.level_id is not None or self.not_applicable or (self.abstained and bool(self.abstain_reason.strip()))


class AgreedRating(models.Model):
    """The rating the lead reviewer records for the team, with every other view still visible."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="agreed_ratings")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="agreed_ratings")
    level = models.ForeignKey(
        "standards.RatingLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("agreed rating"),
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    rationale = models.TextField(_("rationale"), blank=True)
    version = models.PositiveIntegerField(default=0)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("agreed by")
    )
    agreed_at = models.DateTimeField(_("agreed"), auto_now=True)

    class Meta:
        verbose_name = _("agreed rating")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "criterion"], name="one_agreed_rating_per_criterion"),
            models.CheckConstraint(
                condition=Q(not_applicable=True, level__isnull=True) | Q(not_applicable=False, level__isnull=False),
                name="agreed_rating_is_level_or_na",
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.level.label if self.level_id else _('Not applicable')}"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    DEVELOPMENT = "development", _("Area for development")
    URGENT = "urgent", _("Urgent concern")


class Finding(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    text = models.TextField(_("finding"))
    criterion = models.ForeignKey(
        "standards.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("criterion"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # An urgent concern reaches the service's commissioners only when a network administrator
    # escalates it to them, with a reason (see reviews/disclosure.py).
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("escalated by"),
    )
    escalated_at = models.DateTimeField(_("escalated to the commissioners"), null=True, blank=True)
    escalation_reason = models.TextField(_("why it was escalated"), blank=True)

    class Meta:
        ordering = ["kind", "created_at", "pk"]
        verbose_name = _("finding")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_escalated(self):
        return self.escalated_at is not None


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    VERIFIED = "verified", _("Verified")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet):
    def still_open(self):
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today=None):
        """Past their due date and not done: the same rule as Action.is_overdue."""
        return self.still_open().filter(due_date__lt=today or timezone.localdate())


class Action(models.Model):
    """Something the service will do, from a finding or a criterion, followed until verified.
    Open actions carry into the service's next cycle (`carried_from`)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("finding")
    )
    criterion = models.ForeignKey(
        "standards.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("criterion"),
    )
    owner = models.CharField(_("owner"), max_length=200, help_text=_("The person or role who will do it."))
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to",
        verbose_name=_("carried from an earlier cycle"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action")

    def __str__(self):
        return self.description[:80]

    @property
    def is_closed(self):
        return self.status not in OPEN_ACTION_STATUSES

    @property
    def is_overdue(self):
        return not self.is_closed and self.due_date < timezone.localdate()


class ActionNote(models.Model):
    """Progress on an action: a note, and the status it moved to."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("progress note"), blank=True)
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    to_status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("action progress note")

    def __str__(self):
        return f"{self.action_id}: {self.from_status} → {self.to_status}"


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


class Decision(models.Model):
    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=20, choices=DecisionOutcome.choices)
    rationale = models.TextField(_("rationale"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recommended = models.BooleanField(_("award recommended by the thresholds"))
    percent_met = models.DecimalField(_("percent met"), max_digits=4, decimal_places=1, null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")

    def __str__(self):
        return f"{self.cycle.service}: {self.get_outcome_display()}"


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
