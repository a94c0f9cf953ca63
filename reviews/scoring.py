"""The arithmetic of peer review, as plain functions over plain values (no database).

- `spread` summarises independent reviewer ratings (median, range, count) without hiding them.
- `flags` says where reviewers disagree and where the service's own view and the peers' differ.
- `level_in_words` names a level value, or a median between two levels, in the edition's words.
- `compute_decision` turns agreed ratings into percent met overall, per value and per tier, RAG per
  value and the award recommendation, with the working shown so that people can follow it.

Ratings are level values (integers, higher is better). Not applicable is None here and is left out
of every denominator. Only the top level counts as met; "partly met" (any level between the lowest
and the top) is reported separately, never rounded up.
"""

import math
from dataclasses import dataclass, field
from statistics import median

from django.utils.translation import gettext as _

DISAGREEMENT_GAP = 2  # reviewers this many levels apart disagree
SELF_PEER_GAP = 1  # the service's rating this far from the reviewers' median differs


@dataclass(frozen=True)
class Spread:
    count: int
    median: float | None
    low: int | None
    high: int | None

    @property
    def range(self):
        return None if self.low is None else self.high - self.low


def spread(levels):
    """Median, lowest, highest and count of the reviewers' level values (abstentions and N/A excluded)."""
    rated = sorted(level for level in levels if level is not None)
    if not rated:
        return Spread(0, None, None, None)
    middle = median(rated)
    return Spread(len(rated), int(middle) if middle == int(middle) else middle, rated[0], rated[-1])


def level_in_words(value, labels):
    """A level value in the edition's words (labels: value → label): "Met"; a median between two
    levels as "between Partly met and Met"; "—" for none."""
    if value is None:
        return "—"
    if value in labels:
        return labels[value]
    low, high = labels.get(math.floor(value)), labels.get(math.ceil(value))
    return _("between %(low)s and %(high)s") % {"low": low, "high": high} if low and high else str(value)


@dataclass(frozen=True)
class Flags:
    reviewers_disagree: bool
    self_and_peers_differ: bool
    members_and_peers_differ: bool

    @property
    def any(self):
        return self.reviewers_disagree or self.self_and_peers_differ or self.members_and_peers_differ


def flags(reviewer_spread, self_level=None, member_level=None):
    disagree = reviewer_spread.range is not None and reviewer_spread.range >= DISAGREEMENT_GAP
    peers = reviewer_spread.median

    def differs(level):
        return level is not None and peers is not None and abs(level - peers) >= SELF_PEER_GAP

    return Flags(disagree, differs(self_level), differs(member_level))


@dataclass(frozen=True)
class MembersRule:
    """An edition's rule for the members' questionnaire (see `members_level`)."""

    minimum: int = 5
    met_from: int = 75
    partly_from: int = 50


@dataclass(frozen=True)
class MemberTally:
    """How many members answered one question each way. Shown only from the edition's minimum
    of Yes, Sometimes and No answers together: below it, a count or a share could single out
    the few who answered, so neither is given at all (`shown` is False)."""

    yes: int = 0
    sometimes: int = 0
    no: int = 0
    dont_know: int = 0
    minimum: int = 5

    @property
    def decided(self):
        """The answers that say something: Yes, Sometimes and No."""
        return self.yes + self.sometimes + self.no

    @property
    def shown(self):
        return self.decided >= self.minimum

    def share(self, answer):
        """The percentage of decided answers that were `answer` ("yes", "sometimes" or "no")."""
        return percentage(getattr(self, answer), self.decided) if self.shown else None


def members_level(tally, rule, levels):
    """The members' view of a criterion as a level value, for the flags beside the reviewers'.

    With at least `rule.minimum` decided answers: Met (the top level) when the share of Yes
    reaches `rule.met_from`; Partly met (the level below the top) when Yes and Sometimes together
    reach `rule.partly_from`; otherwise Not met (the lowest level). Fewer answers: no level.
    `levels` are the edition's level values, lowest first."""
    if not tally.shown or not levels:
        return None
    if 100 * tally.yes >= rule.met_from * tally.decided:
        return levels[-1]
    if 100 * (tally.yes + tally.sometimes) >= rule.partly_from * tally.decided:
        return levels[-2] if len(levels) > 1 else levels[0]
    return levels[0]


def group_level(answer, levels):
    """A members' meeting's shared answer as a level: Yes is Met, Sometimes the level below the
    top, No the lowest; Don't know says nothing."""
    if not levels or answer not in ("yes", "sometimes", "no"):
        return None
    return {"yes": levels[-1], "sometimes": levels[-2] if len(levels) > 1 else levels[0], "no": levels[0]}[answer]


def percentage(part, whole):
    """part of whole as a percentage to one decimal place, or None when the whole is nothing."""
    return None if not whole else round(100 * part / whole, 1)


def percent_met(met, applicable):
    """The one percent met: met criteria of the applicable ones (Not applicable never counts)."""
    return percentage(met, applicable)


@dataclass
class Tally:
    """Counts for a group of criteria (a value, a tier, or all)."""

    met: int = 0
    partly: int = 0
    not_met: int = 0
    not_applicable: int = 0
    unrated: int = 0

    @property
    def applicable(self):
        return self.met + self.partly + self.not_met

    @property
    def percent_met(self):
        return percent_met(self.met, self.applicable)

    @property
    def percent_partly(self):
        return percentage(self.partly, self.applicable)

    def add(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass(frozen=True)
class Rule:
    """An edition's award rule and RAG cut-offs."""

    tier_thresholds: dict  # tier → percent of that tier's applicable criteria that must be met
    green_from: int
    amber_from: int
    top_level: int
    bottom_level: int


@dataclass(frozen=True)
class CriterionResult:
    code: str
    value_code: str
    tier: int
    level: int | None  # None: Not applicable, or not rated yet (see `rated`)
    rated: bool


@dataclass
class ValueResult:
    code: str
    name: str
    tally: Tally = field(default_factory=Tally)
    unmet_tier_one: list = field(default_factory=list)
    tier_one_outcomes: dict = field(default_factory=dict)  # code of each in unmet_tier_one → "partly" or "not_met"
    rag: str = "red"

    @property
    def rag_reason(self):
        return RAG_REASONS[self.rag](self)


OUTCOME_WORDS = {"partly": "partly met", "not_met": "not met"}


def _still_to_agree(value):
    """"; 3 of 10 not yet rated" while some of a value's criteria have no agreed rating."""
    tally = value.tally
    if not tally.unrated:
        return ""
    return f"; {tally.unrated} of {tally.applicable + tally.not_applicable + tally.unrated} not yet rated"


def _tier_one_not_fully_met(value):
    named = ", ".join(f"{code} ({OUTCOME_WORDS[value.tier_one_outcomes.get(code, 'not_met')]})"
                      for code in value.unmet_tier_one)
    return f"Tier 1 criteria not fully met: {named}"


def _nothing_applies(value):
    if value.tally.unrated and not value.tally.not_applicable:
        return "Not yet rated"
    if value.tally.unrated:
        return f"Not yet rated; {value.tally.not_applicable} not applicable so far"
    return "Every criterion is not applicable"


# Why a value has its colour, in words a reader takes in at once. Partly met counts as not fully
# met: a tier 1 criterion needs Met.
RAG_REASONS = {
    "green": lambda v: f"{v.tally.percent_met}% met" + _still_to_agree(v),
    "amber": lambda v: f"{v.tally.percent_met}% met" + _still_to_agree(v),
    "red": lambda v: (
        (_tier_one_not_fully_met(v) if v.unmet_tier_one else f"{v.tally.percent_met}% met") + _still_to_agree(v)
    ),
    "none": _nothing_applies,
}


@dataclass
class TierResult:
    tier: int
    threshold: int
    tally: Tally = field(default_factory=Tally)

    @property
    def passes(self):
        # A tier with nothing applicable places no demand.
        return self.tally.percent_met is None or self.tally.percent_met >= self.threshold


@dataclass
class Decision:
    overall: Tally
    values: list
    tiers: list
    complete: bool  # every criterion has an agreed rating

    @property
    def recommended(self):
        return self.complete and all(tier.passes for tier in self.tiers)

    @property
    def failing_tiers(self):
        return [tier for tier in self.tiers if not tier.passes]


def outcome_of(result, rule):
    if not result.rated:
        return "unrated"
    if result.level is None:
        return "not_applicable"
    if result.level >= rule.top_level:
        return "met"
    if result.level <= rule.bottom_level:
        return "not_met"
    return "partly"


def compute_decision(results, rule, value_names):
    """results: CriterionResult per criterion, in order; value_names: value code → name, in order."""
    values = {code: ValueResult(code, name) for code, name in value_names.items()}
    tiers = {tier: TierResult(tier, threshold) for tier, threshold in sorted(rule.tier_thresholds.items())}
    overall = Tally()
    for result in results:
        outcome = outcome_of(result, rule)
        overall.add(outcome)
        values[result.value_code].tally.add(outcome)
        tiers[result.tier].tally.add(outcome)
        if result.tier == 1 and outcome in ("partly", "not_met"):
            values[result.value_code].unmet_tier_one.append(result.code)
            values[result.value_code].tier_one_outcomes[result.code] = outcome
    for value in values.values():
        value.rag = _rag(value, rule)
    return Decision(overall, list(values.values()), list(tiers.values()), complete=overall.unrated == 0)


def _rag(value, rule):
    return rag_colour(value.tally.percent_met, bool(value.unmet_tier_one), rule.green_from, rule.amber_from)


def rag_colour(percent_met, tier_one_unmet, green_from, amber_from):
    """Red, amber or green for a value ("none" when nothing in it applies)."""
    if tier_one_unmet:
        return "red"
    if percent_met is None:
        return "none"
    if percent_met >= green_from:
        return "green"
    if percent_met >= amber_from:
        return "amber"
    return "red"
