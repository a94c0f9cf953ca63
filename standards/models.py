"""Standards as data: a framework has editions; an edition has values, criteria, rating levels,
an award rule (thresholds per tier) and RAG cut-offs. Editions are loaded from YAML files."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Framework(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("framework")

    def __str__(self):
        return self.name


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Tier(models.IntegerChoices):
    ESSENTIAL = 1, _("Tier 1: essential")
    EXPECTED = 2, _("Tier 2: expected")
    DESIRABLE = 3, _("Tier 3: desirable")


class RatedBy(models.TextChoices):
    STAFF = "staff", _("Staff")
    MEMBERS = "members", _("Members")
    BOTH = "both", _("Staff and members")


class Edition(models.Model):
    """One version of a framework. Once published and used by a cycle it never changes."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="editions")
    version = models.CharField(_("version"), max_length=50)
    status = models.CharField(_("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT)
    notes = models.TextField(_("notes"), blank=True)
    tier_1_threshold = models.PositiveSmallIntegerField(
        _("tier 1 threshold (% met)"), default=100, validators=PERCENT
    )
    tier_2_threshold = models.PositiveSmallIntegerField(_("tier 2 threshold (% met)"), default=80, validators=PERCENT)
    tier_3_threshold = models.PositiveSmallIntegerField(_("tier 3 threshold (% met)"), default=60, validators=PERCENT)
    rag_green_from = models.PositiveSmallIntegerField(_("green from (% met)"), default=80, validators=PERCENT)
    rag_amber_from = models.PositiveSmallIntegerField(_("amber from (% met)"), default=50, validators=PERCENT)
    # The members' questionnaire: counts are shown from `members_minimum` answers, and the shares
    # of Yes (and of Yes or Sometimes) give the members' level (see reviews.scoring.members_level).
    members_minimum = models.PositiveSmallIntegerField(
        _("fewest members' answers shown"), default=5, validators=[MinValueValidator(2), MaxValueValidator(100)]
    )
    members_met_from = models.PositiveSmallIntegerField(_("members: Met from (% Yes)"), default=75, validators=PERCENT)
    members_partly_from = models.PositiveSmallIntegerField(
        _("members: Partly met from (% Yes or Sometimes)"), default=50, validators=PERCENT
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["framework__name", "-version"]
        verbose_name = _("edition")
        constraints = [models.UniqueConstraint(fields=["framework", "version"], name="edition_version_unique")]

    def __str__(self):
        return f"{self.framework.name} {self.version}"

    def get_absolute_url(self):
        return reverse("standards:edition", args=[self.framework.slug, self.version])

    @property
    def is_published(self):
        return self.status == EditionStatus.PUBLISHED

    def tier_thresholds(self):
        return {1: self.tier_1_threshold, 2: self.tier_2_threshold, 3: self.tier_3_threshold}

    @cached_property
    def rating_levels(self):
        """The edition's levels, lowest first, read once for this object."""
        return list(self.levels.order_by("value"))

    @property
    def top_level(self):
        """The value of the top level (Met): only a rating at the top level counts as met."""
        return self.rating_levels[-1].value if self.rating_levels else 0

    @property
    def met_level_ids(self):
        """The id of the top level, as a list to count met ratings with (empty: no levels)."""
        return [self.rating_levels[-1].pk] if self.rating_levels else []

    @property
    def bottom_level(self):
        """The value of the lowest level (Not met); any level between it and the top is partly met."""
        return self.rating_levels[0].value if self.rating_levels else 0


class RatingLevel(models.Model):
    """A point on the edition's rating scale, e.g. Met (2). Not applicable is not a level."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=50)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["edition", "value"]
        verbose_name = _("rating level")
        constraints = [
            models.UniqueConstraint(fields=["edition", "value"], name="level_value_unique"),
            models.UniqueConstraint(fields=["edition", "label"], name="level_label_unique"),
        ]

    def __str__(self):
        return f"{self.label} ({self.value})"


class Value(models.Model):
    """One of the edition's relational values, e.g. Belonging."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="values")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["edition", "order"]
        verbose_name = _("value")
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="value_code_unique")]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """A statement about the whole community that a service is rated against, e.g. BEL.2."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")
    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"))
    statement = models.TextField(_("statement"))
    guidance = models.TextField(_("what good looks like"), blank=True)
    evidence_examples = models.JSONField(_("examples of evidence"), default=list, blank=True)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices)
    rated_by = models.CharField(_("rated by"), max_length=10, choices=RatedBy.choices, default=RatedBy.BOTH)
    easy_read = models.TextField(
        _("easy read"), blank=True,
        help_text=_("The question as members read it: short sentences, one idea each, \"you\" and \"we\", no codes."),
    )

    class Meta:
        ordering = ["value__order", "order"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="criterion_code_unique")]

    def __str__(self):
        return f"{self.code} {self.statement[:60]}"

    @property
    def rated_by_staff(self):
        return self.rated_by in (RatedBy.STAFF, RatedBy.BOTH)

    @property
    def rated_by_members(self):
        return self.rated_by in (RatedBy.MEMBERS, RatedBy.BOTH)
