"""A draft report's fingerprint: a cheap summary of everything the report shows, so a stored
draft (and the report page's cached data) are served as they are while nothing it reads has
changed.

It is one query. Building that query with the ORM costs far more than running it (about 15 ms of
Python for well under 1 ms of SQL), and it is the same query for every cycle but the cycle's id: so
it is compiled once per process and database and then run with the cycle's id as its parameter.
"""

import datetime
import hashlib

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import Count, F, Func, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assurance.models import Organisation, Region, Sector, Service, User
from reviews.cycles.models import Cycle, CycleEvent, CycleState
from reviews.decisions.models import Appeal, FollowUp
from reviews.members.models import MemberQuote, MemberResponse
from reviews.peer.models import Action, AgreedRating, Decision, Finding, PeerRating, RatingChange, TeamMember, Visit
from reviews.selfassessment.models import Evidence, SelfRating
from standards.models import Criterion, Edition, Framework, RatingLevel
from standards.models import Value as StandardValue

# Bump when a report's layout or contents change, so that cached drafts are rebuilt.
REPORT_FORMAT = "service-6"

# The rows of the cycle the report reads whose every change adds a row or moves a timestamp:
# (model, path to the cycle, the field that moves).
COUNTED = [
    (SelfRating, "cycle", "updated_at"),
    (PeerRating, "team_member__visit__cycle", "updated_at"),
    (AgreedRating, "cycle", "agreed_at"),
    (Finding, "cycle", "pk"),
    (Action, "cycle", "updated_at"),
    (TeamMember, "visit__cycle", "pk"),
    (CycleEvent, "cycle", "pk"),
    (MemberResponse, "cycle", "received_on"),
    (MemberQuote, "cycle", "agreed_at"),
    (RatingChange, "cycle", "pk"),
    (FollowUp, "cycle", "pk"),
    (Evidence, "cycle", "pk"),  # a deleted evidence's audit entry no longer belongs to the cycle: its count does
]


def _own(model, path):
    """The ids of this cycle's rows of a model (inside a subquery of the cycle's query)."""
    return model.objects.filter(**{path: OuterRef(OuterRef("pk"))}).values("pk")


# What the report reads that can change in place without a timestamp of its own: a finding's
# wording or an evidence title edited in the admin, a team member's name, the service's name, the
# edition's wording. Every such change is in the audit log, so the latest audit entry about each
# of them is part of the fingerprint: entries about anything else (another service's review) are
# not. model → the ids of the rows this cycle's report reads, as a subquery or an outer column.
AUDITED = {
    Cycle: OuterRef("pk"),
    Finding: _own(Finding, "cycle"),
    Evidence: _own(Evidence, "cycle"),
    SelfRating: _own(SelfRating, "cycle"),  # its evidence (many-to-many) changes no timestamp
    AgreedRating: _own(AgreedRating, "cycle"),
    RatingChange: _own(RatingChange, "cycle"),
    MemberQuote: _own(MemberQuote, "cycle"),
    Decision: _own(Decision, "cycle"),
    Appeal: _own(Appeal, "cycle"),
    FollowUp: _own(FollowUp, "cycle"),
    Visit: _own(Visit, "cycle"),
    TeamMember: _own(TeamMember, "visit__cycle"),
    User: TeamMember.objects.filter(visit__cycle=OuterRef(OuterRef("pk"))).values("user_id"),
    Service: OuterRef("service_id"),
    Organisation: OuterRef("service__organisation_id"),
    Sector: OuterRef("service__sector_id"),
    Region: OuterRef("service__region_id"),
    Edition: OuterRef("edition_id"),
    Framework: OuterRef("edition__framework_id"),
    StandardValue: StandardValue.objects.filter(edition=OuterRef(OuterRef("edition_id"))).values("pk"),
    Criterion: Criterion.objects.filter(edition=OuterRef(OuterRef("edition_id"))).values("pk"),
    RatingLevel: RatingLevel.objects.filter(edition=OuterRef(OuterRef("edition_id"))).values("pk"),
}

# Never the cycle's id nor a real day: compiled with these in their places, which are then found
# among the parameters.
_PLACEHOLDER = -271828
_DAY_PLACEHOLDER = datetime.date(1, 2, 3)
_compiled = {}


def fingerprint(cycle):
    """A summary of everything a service report shows, in one query: if nothing it reads has
    changed, the fingerprint is the same and the stored PDF is served as it is. What changes with
    the date alone is in it as it stands today: how many actions are overdue and the award's state
    (valid, expiring, expired). Not the date itself: a report nothing has changed in stays as it
    was built from one day to the next, so what issuing it built is still good."""
    today = timezone.localdate()
    connection = connections[router.db_for_read(Cycle)]
    sql, params, at = _compiled_query(connection)
    params = list(params)
    params[at["cycle"]] = cycle.pk
    params[at["day"]] = connection.ops.adapt_datefield_value(today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    outcome, valid_until = row[-2:]
    award_state = Decision(outcome=outcome, valid_until=valid_until).award_state(today) if outcome else None
    text = "|".join(str(part) for part in (REPORT_FORMAT, award_state, *row))
    return hashlib.sha256(text.encode()).hexdigest()


def _compiled_query(connection):
    """(sql, params, where the cycle's id and the day are among the params), compiled once for
    these content types."""
    types = ContentType.objects.get_for_models(*AUDITED)
    key = (connection.alias, tuple(types[model].pk for model in AUDITED))
    if key not in _compiled:
        query = fingerprint_queryset(_PLACEHOLDER, types, _DAY_PLACEHOLDER).query
        sql, params = query.get_compiler(using=connection.alias).as_sql()
        day = connection.ops.adapt_datefield_value(_DAY_PLACEHOLDER)  # as the compiler put it
        [cycle_at] = [index for index, param in enumerate(params) if param == _PLACEHOLDER]
        [day_at] = [index for index, param in enumerate(params) if param == day]
        _compiled[key] = (sql, tuple(params), {"cycle": cycle_at, "day": day_at})
    return _compiled[key]


def fingerprint_queryset(cycle_id, types, today):
    """The fingerprint's query as a queryset: one row of the cycle's own columns and, per kind of
    row it reads, how many there are and the latest change; then how many of its actions are
    overdue `today`, and the decision's outcome and end date (its last two columns). (The cycle's
    opening time tells apart cycles that reuse an id, as a test's rolled-back rows do: a cached
    page is keyed by the id.)"""
    annotations = {}
    for model, path, field in COUNTED:
        rows = model.objects.filter(**{path: OuterRef("pk")}).order_by().values(path)
        name = model._meta.model_name
        annotations[f"{name}_count"] = Subquery(rows.annotate(n=Count("pk")).values("n")[:1],
                                                output_field=IntegerField())
        annotations[f"{name}_latest"] = Subquery(rows.annotate(m=Max(field)).values("m")[:1])
    for model, ids in AUDITED.items():
        lookup = {"object_id": ids} if isinstance(ids, OuterRef) else {"object_id__in": ids}
        # Found through the index of (kind, object id) that migration reviews 0013 adds: only the
        # entries asked for are read.
        entries = LogEntry.objects.filter(content_type_id=types[model].pk, **lookup)
        annotations[f"{model._meta.model_name}_edited"] = Coalesce(Subquery(_latest_pk(entries)), Value(0))
    # The network comparison reads the edition's final reviews, which change only through a change
    # of stage (always a CycleEvent): so their number, the latest and their latest move, as the
    # network's cached spread is keyed (figures.network_spread). A review under way elsewhere that
    # moves on does not move it. This service's earlier reviews (the trend): their latest move.
    final = Cycle.objects.filter(edition=OuterRef("edition"), state__in=CycleState.CONCLUDED).order_by().values("edition")
    history = CycleEvent.objects.filter(cycle__service=OuterRef("service")).order_by().values("cycle__service")
    annotations["network_reviews"] = Coalesce(Subquery(final.annotate(n=Count("pk")).values("n")[:1]), Value(0))
    annotations["network_latest"] = Coalesce(Subquery(final.annotate(m=Max("pk")).values("m")[:1]), Value(0))
    annotations["network"] = Coalesce(Subquery(final.annotate(m=Max("events__pk")).values("m")[:1]), Value(0))
    annotations["history"] = Coalesce(Subquery(history.annotate(m=Max("pk")).values("m")[:1]), Value(0))
    overdue = Action.objects.filter(cycle=OuterRef("pk")).overdue(today).order_by().values("cycle")
    annotations["overdue_actions"] = Coalesce(Subquery(overdue.annotate(n=Count("pk")).values("n")[:1]), Value(0))
    return (
        Cycle.objects.filter(pk=cycle_id)
        .annotate(**annotations)
        .values_list("opened_at", "state", "submitted_at", "visit__date", "decision__recorded_at", "members_stated",
                     *annotations, "decision__outcome", "decision__valid_until")
    )


def _latest_pk(rows):
    """The greatest pk of the rows, as a subquery (MAX as a plain function: no GROUP BY)."""
    return rows.order_by().annotate(latest=Func(F("pk"), function="MAX")).values("latest")[:1]
