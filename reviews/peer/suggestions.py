"""Suggested reviewers for each place on a visit's team, best first, each with the reasons in a
line: available on the visit date, trained, vetted where the setting needs it, from a service that
has received more visits than it gave (reviews/peer/ledger.py), and with fewer visits in the last
year. Only people who may take the place are listed (the same rules as
reviews.peer.services.team.ineligibility). A fixed number of queries, whatever the network's size."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.peer.ledger import ledger_rows
from reviews.peer.models import TeamMember, TeamRole, Visit
from reviews.peer.queries import eligible_reviewers
from reviews.peer.records import (
    last_year,
    records_of,
    unavailable_on,
    vetting_refusal,
    vetting_valid_on,
    visits_done_per_person,
)
from reviews.templatetags.review_tags import long_date

# How many suggestions each place shows before "everyone else who may take the place".
SHOWN = 5


@dataclass
class Suggestion:
    user: object
    place: str
    available: bool
    trained: bool
    owes: bool  # a home service has received more visits than it gave
    visits_last_year: int
    other_region: bool
    reasons: list = field(default_factory=list)

    @property
    def reason_line(self):
        return " · ".join(self.reasons)

    def rank(self):
        return (not self.available, not self.trained, not self.owes, self.visits_last_year, not self.other_region,
                self.user.last_name, self.user.first_name, self.user.pk)


@dataclass
class PlaceSuggestions:
    place: str
    label: str
    suggestions: list
    filled: bool = False  # the lead reviewer's place is taken

    @property
    def shown(self):
        return self.suggestions[:SHOWN]

    @property
    def more(self):
        return self.suggestions[SHOWN:]


@dataclass
class TeamAdvice:
    places: list  # PlaceSuggestions, lead first
    vetting_warnings: list  # sentences about team members whose vetting will not hold on the visit day
    visit_date: object
    secure: bool


PLACE_ORDER = [TeamRole.LEAD_REVIEWER, TeamRole.PEER_REVIEWER, TeamRole.LIVED_EXPERIENCE_REVIEWER]


def team_advice(cycle, today=None):
    """The suggestions for each place of the cycle's team, and warnings about the team's vetting."""
    today = today or timezone.localdate()
    service = cycle.service
    visit_date = Visit.objects.filter(cycle=cycle).values_list("date", flat=True).first()
    day = visit_date or today
    candidates = eligible_reviewers(cycle)
    team = list(TeamMember.objects.filter(visit__cycle=cycle).select_related("user"))
    ids = [c.user.pk for c in candidates]
    records = records_of(ids + [member.user_id for member in team])
    away = unavailable_on(ids, visit_date) if visit_date else {}
    done = visits_done_per_person(last_year(today), ids)
    homes = {home.pk: home for candidate in candidates for home in candidate.home_services}
    ledger = {row.service.pk: row for row in ledger_rows(list(homes.values()))}
    by_place = {place: [] for place in PLACE_ORDER}
    for candidate in candidates:
        record = records.get(candidate.user.pk)
        if service.is_secure_setting and not vetting_valid_on(record, day):
            continue
        for place in candidate.places:
            by_place[place].append(_suggestion(candidate, place, record, away.get(candidate.user.pk),
                                               done.get(candidate.user.pk, 0), ledger, day))
    lead_taken = any(member.role == TeamRole.LEAD_REVIEWER for member in team)
    places = [PlaceSuggestions(place, TeamRole(place).label, sorted(by_place[place], key=Suggestion.rank),
                               filled=place == TeamRole.LEAD_REVIEWER and lead_taken)
              for place in PLACE_ORDER]
    warnings = [vetting_refusal(member.user, records.get(member.user_id), service, day) for member in team] \
        if service.is_secure_setting else []
    return TeamAdvice(places=places, vetting_warnings=[w for w in warnings if w], visit_date=visit_date,
                      secure=service.is_secure_setting)


def _suggestion(candidate, place, record, away, visits_last_year, ledger, day):
    rows = [ledger[home.pk] for home in candidate.home_services if home.pk in ledger]
    owing = [row for row in rows if row.owes]
    suggestion = Suggestion(
        user=candidate.user, place=place, available=away is None,
        trained=bool(record and record.trained_on), owes=bool(owing),
        visits_last_year=visits_last_year, other_region=candidate.other_region,
    )
    reasons = suggestion.reasons
    if away is not None:
        reasons.append(_("Unavailable %(from)s to %(until)s") % {"from": long_date(away.starts_on),
                                                               "until": long_date(away.ends_on)})
    reasons.append(_("Trained") if suggestion.trained else _("Not trained"))
    if vetting_valid_on(record, day):
        expires = record.vetting_expires_on
        reasons.append(_("vetted until %(year)s") % {"year": expires.year} if expires else _("vetted"))
    reasons.extend(row.sentence() for row in (owing or rows))
    reasons.append(ngettext("%(n)d visit in the last year", "%(n)d visits in the last year", visits_last_year)
                   % {"n": visits_last_year})
    if candidate.other_region:
        reasons.append(_("another region"))
    return suggestion
