"""The network: organisations, their services, people and the roles that connect them."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Roles, not flags on this model, say what they may do."""

    # Set when the person's personal data was erased (reviews/privacy): the account stays, nameless.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)

    def __str__(self):
        return self.get_full_name() or self.username


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")

    def __str__(self):
        return self.name


class Sector(models.Model):
    """A kind of service, e.g. prison wing, probation hostel, therapeutic community."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self):
        return self.name


class Service(models.Model):
    """A unit that assesses itself and is peer reviewed: a wing, a hostel, a ward, a community."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="services", verbose_name=_("sector"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="services", verbose_name=_("region"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active member of the network"), default=True)
    is_secure_setting = models.BooleanField(
        _("secure setting"), default=False,
        help_text=_("A prison, secure hospital or other setting whose visitors need valid vetting or security clearance."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="service_name_unique_in_org")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("service-detail", args=[self.slug])


class RoleKind(models.TextChoices):
    SERVICE_LEAD = "service_lead", _("Service lead")
    STAFF = "staff", _("Staff")
    MEMBER = "member", _("Member")
    PEER_REVIEWER = "peer_reviewer", _("Peer reviewer")
    LIVED_EXPERIENCE_REVIEWER = "lived_experience_reviewer", _("Lived-experience reviewer")
    LEAD_REVIEWER = "lead_reviewer", _("Lead reviewer")
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    COMMISSIONER = "commissioner", _("Commissioner")


# Roles held within one service: the person works there, uses it, or commissions it.
SERVICE_ROLES = {RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER, RoleKind.COMMISSIONER}
# Reviewer roles name the person's home service, which they may never review.
REVIEWER_ROLES = {RoleKind.PEER_REVIEWER, RoleKind.LIVED_EXPERIENCE_REVIEWER, RoleKind.LEAD_REVIEWER}


class Role(models.Model):
    """One thing a person is in the network. A person may hold several roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person"))
    kind = models.CharField(_("role"), max_length=32, choices=RoleKind.choices)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="roles",
        null=True,
        blank=True,
        verbose_name=_("service"),
        help_text=_(
            "The service they lead, work in, use or commission; for reviewers, their home service. "
            "Empty for network administrators and for reviewers without a home service."
        ),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("role")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "service"], name="role_unique"),
            models.UniqueConstraint(
                fields=["user", "kind"], condition=Q(service__isnull=True), name="role_unique_without_service"
            ),
            models.CheckConstraint(
                # A list in a fixed order, not SERVICE_ROLES: a set's order changes with Python's
                # hash seed, and then makemigrations sees a changed constraint.
                condition=~Q(kind__in=["commissioner", "service_lead", "member", "staff"])
                | Q(service__isnull=False),
                name="role_service_required",
                violation_error_message=_("This role needs a service."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=RoleKind.NETWORK_ADMIN) | Q(service__isnull=True),
                name="role_admin_has_no_service",
                violation_error_message=_("A network administrator's role is not tied to a service."),
            ),
        ]

    def __str__(self):
        if self.service_id:
            return f"{self.user}: {self.get_kind_display().lower()}, {self.service}"
        return f"{self.user}: {self.get_kind_display().lower()}"


class ReviewerRecord(models.Model):
    """What the network keeps about a reviewer: their training and their vetting or security
    clearance, which visits to secure settings need while it is valid."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="reviewer_record", verbose_name=_("person"))
    trained_on = models.DateField(_("reviewer training completed"), null=True, blank=True)
    vetting = models.CharField(
        _("vetting or security clearance"), max_length=100, blank=True,
        help_text=_("For example: enhanced DBS, prison vetting, NPPV level 2."),
    )
    vetting_expires_on = models.DateField(_("vetting expires"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("reviewer record")

    def __str__(self):
        return f"{self.user}: reviewer record"


class Unavailability(models.Model):
    """Days on which a reviewer cannot visit (leave, other commitments)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="unavailable_periods", verbose_name=_("person"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("time unavailable")
        verbose_name_plural = _("times unavailable")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="unavailability_ends_after_it_starts",
                violation_error_message=_("The last day cannot be before the first."),
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.starts_on} to {self.ends_on}"


class AccountInvitation(models.Model):
    """An invitation to set a password and sign in, sent to a person added to the network. The
    link in it expires (settings.INVITATION_DAYS) and works once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_invitations", verbose_name=_("person"))
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invited by")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("account invitation")

    def __str__(self):
        return f"{self.user}: invited {self.sent_at:%Y-%m-%d}"


class ThrottleHit(models.Model):
    """One counted event for a rate limit (a failed sign-in from an address, a password reset asked
    for an account). Kept in the database so that every host of the site counts the same events;
    the key is a hash, never the address or email itself."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_lookup")]
        verbose_name = _("rate-limit record")

    def __str__(self):
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M}"
