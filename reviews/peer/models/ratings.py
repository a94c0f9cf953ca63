"""Ratings: each reviewer's own, and the one the team agrees."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.cycles.models import Cycle
from reviews.peer.models.team import TeamMember


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
