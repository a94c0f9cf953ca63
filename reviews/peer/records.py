"""Reviewers' records: training, vetting for secure settings, times unavailable and visits done.
The reviewers' page reads them all in a fixed number of queries, whatever the size of the network."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assurance.models import REVIEWER_ROLES, ReviewerRecord, Role, Unavailability, User
from reviews.peer.models import TeamMember, Visit
from reviews.templatetags.award_tags import weeks_or_months
from reviews.templatetags.review_tags import long_date

# Cycles whose visit took place (or is taking place): their team places are visits given and
# their service has received a visit. A cycle closes only after its final report.
REACHED_VISIT = frozenset({"visit", "ratings_agreed", "report_draft", "final", "closed"})

# How far back the reviewers' page counts visits done.
VISITS_DONE_YEARS = 3
# Within this many days, an expiry is shown as coming soon.
EXPIRY_WARNING_DAYS = 90


def reviewer_record_of(user):
    return ReviewerRecord.objects.filter(user=user).first()


def visit_day(cycle):
    """The day the team's vetting must be valid on: the visit's date, or today without one."""
    date = Visit.objects.filter(cycle=cycle).values_list("date", flat=True).first()
    return date or timezone.localdate()


def has_vetting(record):
    return record is not None and bool(record.vetting or record.vetting_expires_on)


def vetting_valid_on(record, day):
    """Vetting recorded and not expired on that day (it no longer holds on its expiry date)."""
    return has_vetting(record) and (record.vetting_expires_on is None or day < record.vetting_expires_on)


def vetting_refusal(user, record, service, day):
    """Why this person's vetting does not let them visit this secure setting on `day`, or None."""
    names = {"person": user, "service": service}
    if not has_vetting(record):
        return _("%(person)s has no vetting recorded; %(service)s is a secure setting.") % names
    if vetting_valid_on(record, day):
        return None
    expires = record.vetting_expires_on
    if expires <= timezone.localdate():
        return _("%(person)s's vetting expired on %(expiry)s; %(service)s is a secure setting.") % {
            **names, "expiry": long_date(expires)}
    return _("%(person)s's vetting expires on %(expiry)s, before the visit on %(visit)s; %(service)s is a secure "
             "setting.") % {**names, "expiry": long_date(expires), "visit": long_date(day)}


def vetting_status(record, today=None):
    """"Enhanced DBS, expires in 6 weeks", "Prison vetting, expired on 3 March 2026", "No vetting recorded"."""
    today = today or timezone.localdate()
    if not has_vetting(record):
        return _("No vetting recorded")
    what = record.vetting or _("Vetting")
    expires = record.vetting_expires_on
    if expires is None:
        return _("%(what)s, no expiry date") % {"what": what}
    if expires <= today:
        return _("%(what)s, expired on %(day)s") % {"what": what, "day": long_date(expires)}
    if (expires - today).days <= EXPIRY_WARNING_DAYS:
        return _("%(what)s, expires in %(when)s (%(day)s)") % {
            "what": what, "when": weeks_or_months((expires - today).days), "day": long_date(expires)}
    return _("%(what)s, valid until %(day)s") % {"what": what, "day": long_date(expires)}


def vetting_is_short(record, today=None):
    """Expired, or expiring within EXPIRY_WARNING_DAYS: worth a warning on the reviewers' page."""
    today = today or timezone.localdate()
    return has_vetting(record) and record.vetting_expires_on is not None and (
        (record.vetting_expires_on - today).days <= EXPIRY_WARNING_DAYS)


def visits_since(day):
    """Team places on visits that took place on or after `day` (a visit without a date counts from
    the day its cycle opened)."""
    return TeamMember.objects.filter(visit__cycle__state__in=REACHED_VISIT).filter(
        Q(visit__date__gte=day) | Q(visit__date__isnull=True, visit__cycle__opened_at__date__gte=day)
    )


def visits_done_per_person(since, user_ids=None):
    places = visits_since(since)
    if user_ids is not None:
        places = places.filter(user_id__in=user_ids)
    return dict(places.values("user_id").annotate(n=Count("pk")).values_list("user_id", "n"))


def years_ago(years, today=None):
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass
class ReviewerRow:
    user: object
    roles: list  # the person's reviewer roles' labels
    home_services: list  # Service, with its organisation
    record: object  # ReviewerRecord or None
    unavailable: list  # Unavailability ahead (not yet over)
    visits_done: int
    vetting: str = ""
    vetting_short: bool = False
    trained_on: object = field(default=None)


def reviewers(today=None):
    """Every active person with a reviewer role, by name, with their record. Five queries."""
    today = today or timezone.localdate()
    roles = Prefetch("roles", queryset=Role.objects.select_related("service__organisation").order_by("kind"))
    ahead = Prefetch("unavailable_periods", to_attr="periods_ahead",
                     queryset=Unavailability.objects.filter(ends_on__gte=today))
    people = list(User.objects.filter(is_active=True, roles__kind__in=REVIEWER_ROLES).distinct()
                  .prefetch_related(roles, ahead).order_by("last_name", "first_name", "username"))
    records = {r.user_id: r for r in ReviewerRecord.objects.filter(user__in=[p.pk for p in people])}
    done = visits_done_per_person(years_ago(VISITS_DONE_YEARS, today), [p.pk for p in people])
    return [_row(person, records.get(person.pk), done.get(person.pk, 0), today) for person in people]


def _row(person, record, visits_done, today):
    person_roles = list(person.roles.all())
    homes = []
    for role in person_roles:
        if role.service is not None and role.kind in REVIEWER_ROLES and role.service not in homes:
            homes.append(role.service)
    return ReviewerRow(
        user=person,
        roles=[role.get_kind_display() for role in person_roles if role.kind in REVIEWER_ROLES],
        home_services=homes,
        record=record,
        unavailable=person.periods_ahead,
        visits_done=visits_done,
        vetting=vetting_status(record, today),
        vetting_short=vetting_is_short(record, today),
        trained_on=record.trained_on if record else None,
    )


def unavailable_on(user_ids, day):
    """{person id: the time unavailable covering `day`} for these people. One query."""
    covering = Unavailability.objects.filter(user_id__in=user_ids, starts_on__lte=day, ends_on__gte=day)
    return {period.user_id: period for period in covering.order_by("-starts_on")}


def records_of(user_ids):
    return {record.user_id: record for record in ReviewerRecord.objects.filter(user_id__in=user_ids)}


def own_unavailability(user, today=None):
    """A reviewer's own times unavailable that are not over yet."""
    today = today or timezone.localdate()
    return Unavailability.objects.filter(user=user, ends_on__gte=today)


def last_year(today=None):
    return (today or timezone.localdate()) - datetime.timedelta(days=365)


def reviewer_person(pk):
    """The active person with a reviewer role of this id, or None."""
    return User.objects.filter(pk=pk, is_active=True, roles__kind__in=REVIEWER_ROLES).distinct().first()


def reviewer_row(person, today=None):
    """One reviewer's row of the reviewers' page."""
    today = today or timezone.localdate()
    record = ReviewerRecord.objects.filter(user=person).first()
    person.periods_ahead = list(own_unavailability(person, today))
    done = visits_done_per_person(years_ago(VISITS_DONE_YEARS, today), [person.pk])
    return _row(person, record, done.get(person.pk, 0), today)


def reviewer_counts(today=None):
    """For the network panel: how many reviewers, and how many of them have vetting that has
    expired or expires within EXPIRY_WARNING_DAYS. One query."""
    today = today or timezone.localdate()
    running_out = Q(reviewer_record__vetting_expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS))
    return User.objects.filter(is_active=True, roles__kind__in=REVIEWER_ROLES).aggregate(
        reviewers=Count("pk", distinct=True), vetting_short=Count("pk", filter=running_out, distinct=True)
    )
