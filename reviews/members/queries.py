"""Reading the members' voice: counts per question, members' meetings' shared answers, the
response rate and the free text. A response itself is never read out: pages get counts.
Every function runs a fixed number of queries, whatever the number of responses."""

from dataclasses import dataclass, field

from django.db.models import Count

from reviews.members.models import (
    Channel,
    MemberAnswer,
    MemberQuote,
    MemberResponse,
    MemberResponseAnswer,
    QuestionnaireSession,
)
from reviews.scoring import MembersRule, MemberTally, group_level, members_level
from standards.models import Criterion, RatingLevel


def members_rule(edition):
    return MembersRule(
        minimum=edition.members_minimum, met_from=edition.members_met_from, partly_from=edition.members_partly_from
    )


def member_questions(edition):
    """The criteria members are asked about, in the edition's order."""
    return list(
        Criterion.objects.filter(edition=edition, rated_by__in=("members", "both"))
        .select_related("value")
        .order_by("value__order", "order")
    )


@dataclass
class MembersVoice:
    """The members' voice on one criterion: the counted answers of individual members (shown only
    from the edition's minimum), the shared answers of members' meetings, and the level the
    edition's rule makes of them (for the flags beside the reviewers' view)."""

    tally: MemberTally
    groups: list = field(default_factory=list)  # [(members at the meeting, answer)], oldest first
    level: int | None = None

    @property
    def heard(self):
        """Whether there is anything to show: enough answers, or a meeting's shared answer."""
        return self.tally.shown or bool(self.groups)


def members_voices(cycles, criteria=None):
    """{(cycle id, criterion id): MembersVoice} for these cycles (objects with their edition), for
    all their criteria or only these. Three queries, whatever the number of cycles, editions and
    responses."""
    cycles = list(cycles)
    if not cycles:
        return {}
    by_id = {cycle.pk: cycle for cycle in cycles}
    answers = MemberResponseAnswer.objects.filter(response__cycle__in=by_id)
    if criteria is not None:
        answers = answers.filter(criterion__in=criteria)
    counts = {}
    rows = (
        answers.exclude(response__channel=Channel.GROUP)
        .values_list("response__cycle_id", "criterion_id", "answer")
        .annotate(n=Count("id"))
        .order_by()
    )
    for cycle_id, criterion_id, answer, n in rows:
        counts.setdefault((cycle_id, criterion_id), {})[answer] = n
    groups = {}
    group_rows = (
        answers.filter(response__channel=Channel.GROUP)
        .values_list("response__cycle_id", "criterion_id", "response__group_size", "answer")
        .order_by("response__received_on", "response_id")
    )
    for cycle_id, criterion_id, size, answer in group_rows:
        groups.setdefault((cycle_id, criterion_id), []).append((size, answer))
    levels = _levels_of({cycle.edition_id for cycle in cycles})
    voices = {}
    for key in counts.keys() | groups.keys():
        edition = by_id[key[0]].edition
        voices[key] = _voice(counts.get(key, {}), groups.get(key, []), members_rule(edition), levels[edition.pk])
    return voices


def _levels_of(edition_ids):
    """{edition id: its level values, lowest first}, in one query."""
    levels = {edition_id: [] for edition_id in edition_ids}
    for edition_id, value in RatingLevel.objects.filter(edition__in=edition_ids).order_by("value").values_list("edition_id", "value"):
        levels[edition_id].append(value)
    return levels


def _voice(counted, groups, rule, levels):
    tally = MemberTally(
        yes=counted.get(MemberAnswer.YES, 0),
        sometimes=counted.get(MemberAnswer.SOMETIMES, 0),
        no=counted.get(MemberAnswer.NO, 0),
        dont_know=counted.get(MemberAnswer.DONT_KNOW, 0),
        minimum=rule.minimum,
    )
    level = members_level(tally, rule, levels)
    if level is None and groups:  # too few single answers: the latest meeting speaks for the members
        level = group_level(groups[-1][1], levels)
    return MembersVoice(tally=tally, groups=groups, level=level)


def cycle_members_voices(cycle, criteria=None):
    """{criterion id: MembersVoice} for one cycle, for all its criteria or only these."""
    return {criterion_id: voice for (_, criterion_id), voice in members_voices([cycle], criteria).items()}


@dataclass
class ResponseSummary:
    individual: int  # responses from single members, however they came in
    by_channel: dict  # Channel value → number of responses
    meetings: int  # members' meetings that answered as a group
    stated: int | None  # the service's stated number of members

    @property
    def rate(self):
        """Single members' responses as a percentage of the stated number of members."""
        if not self.stated:
            return None
        return round(100 * self.individual / self.stated, 1)


def response_summary(cycle):
    """How many responses came in, and how: one query."""
    by_channel = dict(
        MemberResponse.objects.filter(cycle=cycle).values_list("channel").annotate(n=Count("id")).order_by()
    )
    meetings = by_channel.get(Channel.GROUP, 0)
    return ResponseSummary(
        individual=sum(by_channel.values()) - meetings,
        by_channel=by_channel,
        meetings=meetings,
        stated=cycle.members_stated,
    )


def free_text(cycle):
    """What members wrote in "anything else", for the review team: unattributed, without dates,
    in an order that says nothing about who wrote it or when (by the responses' random keys)."""
    return list(
        MemberResponse.objects.filter(cycle=cycle).exclude(anything_else="").order_by("id").values_list("anything_else", flat=True)
    )


def questionnaire_sessions(cycle, now):
    """The cycle's questionnaire sessions, newest first, each with its number of responses and its
    state now (`state`: "open", "scheduled", "closed" or "expired"): one query."""
    sessions = list(QuestionnaireSession.objects.filter(cycle=cycle).annotate(response_count=Count("responses")))
    for session in sessions:
        if session.closed_at is not None:
            session.state = "closed"
        elif session.closes_at <= now:
            session.state = "expired"
        elif session.opens_at > now:
            session.state = "scheduled"
        else:
            session.state = "open"
    return sessions


def questionnaire_session(cycle, pk):
    """One of the cycle's questionnaire sessions, or None (another cycle's is None too)."""
    return QuestionnaireSession.objects.filter(cycle=cycle, pk=pk).first() if pk else None


def member_quotes(cycle, *, agreed_only):
    """Quotes proposed for the cycle's report, oldest first (only the agreed ones if so asked): one query."""
    quotes = MemberQuote.objects.filter(cycle=cycle)
    return list(quotes.filter(agreed_at__isnull=False) if agreed_only else quotes)


def member_quote(cycle, pk):
    """One of the cycle's proposed quotes, or None."""
    return MemberQuote.objects.filter(cycle=cycle, pk=pk).first() if pk else None
