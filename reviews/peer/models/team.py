"""The visit and its team: the plan for the day, who is on the team, conflicts of interest."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class ConflictOfInterestQuerySet(models.QuerySet):
    def touching(self, service):
        """Conflicts with this service or with the organisation that runs it."""
        organisation_id = service.organisation_id
        return self.filter(Q(service=service) | Q(organisation_id=organisation_id))


class ConflictOfInterest(models.Model):
    """A reviewer's declared tie to a service or to a whole organisation (worked or lived there,
    family, ...): never on the team of that service, or of any service the organisation runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    service = models.ForeignKey(
        "assurance.Service", on_delete=models.CASCADE, related_name="conflicts", null=True, blank=True
    )
    organisation = models.ForeignKey(
        "assurance.Organisation", on_delete=models.CASCADE, related_name="conflicts", null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    objects = ConflictOfInterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="one_conflict_per_service"),
            models.UniqueConstraint(fields=["user", "organisation"], name="one_conflict_per_organisation"),
            models.CheckConstraint(
                condition=Q(service__isnull=True, organisation__isnull=False)
                | Q(service__isnull=False, organisation__isnull=True),
                name="conflict_with_a_service_or_an_organisation",
                violation_error_message=_("A conflict of interest is with a service or with an organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.service or self.organisation}"
