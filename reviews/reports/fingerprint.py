"""A draft report's fingerprint: a cheap summary of everything the report shows, so a stored
draft is served as it is while nothing it reads has changed."""

import hashlib

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from reviews.cycles.models import Cycle, CycleEvent
from reviews.members.models import MemberQuote, MemberResponse
from reviews.peer.models import Action, AgreedRating, Finding, PeerRating, RatingChange, TeamMember
from reviews.reports.models import Report
from reviews.selfassessment.models import SelfRating

# Bump when a report's layout or contents change, so that cached drafts are rebuilt.
REPORT_FORMAT = "service-5"


def _latest(model, cycle_path, field):
    """Subquery: (count, latest) of a model's rows for the outer cycle, as one string."""
    rows = model.objects.filter(**{cycle_path: OuterRef("pk")}).order_by().values(cycle_path)
    return (
        Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        Subquery(rows.annotate(m=Max(field)).values("m")[:1]),
    )


def fingerprint(cycle):
    """A cheap summary of everything a service report shows, in one query: if nothing it reads
    has changed, the fingerprint is the same and the stored PDF is served as it is."""
    parts = {
        "self": _latest(SelfRating, "cycle", "updated_at"),
        "peer": _latest(PeerRating, "team_member__visit__cycle", "updated_at"),
        "agreed": _latest(AgreedRating, "cycle", "agreed_at"),
        "finding": _latest(Finding, "cycle", "pk"),
        "action": _latest(Action, "cycle", "updated_at"),
        "team": _latest(TeamMember, "visit__cycle", "pk"),
        "event": _latest(CycleEvent, "cycle", "pk"),
        "members": _latest(MemberResponse, "cycle", "received_on"),
        "quotes": _latest(MemberQuote, "cycle", "agreed_at"),
        "changes": _latest(RatingChange, "cycle", "pk"),
    }
    annotations = {f"{name}_{i}": expression for name, pair in parts.items() for i, expression in enumerate(pair)}
    # Other services' settled cycles (the network comparison) and this service's earlier ones
    # (the trend) change only through a change of stage, which is always a CycleEvent.
    network = CycleEvent.objects.filter(cycle__edition=OuterRef("edition")).order_by().values("cycle__edition")
    history = CycleEvent.objects.filter(cycle__service=OuterRef("service")).order_by().values("cycle__service")
    # Edits made elsewhere (in the admin: a finding's wording, an evidence title, a person's
    # name) are all in the audit log, so its latest entry is part of the fingerprint too.
    # (Entries about reports themselves are left out: building this draft must not make it stale.)
    edits = LogEntry.objects.exclude(content_type=ContentType.objects.get_for_model(Report))
    annotations["audit"] = Coalesce(Subquery(edits.order_by("-pk").values("pk")[:1]), Value(0))
    annotations["network"] = Coalesce(Subquery(network.annotate(m=Max("pk")).values("m")[:1]), Value(0))
    annotations["history"] = Coalesce(Subquery(history.annotate(m=Max("pk")).values("m")[:1]), Value(0))
    row = (
        Cycle.objects.filter(pk=cycle.pk)
        .annotate(**annotations)
        .values("state", "submitted_at", "visit__date", "decision__recorded_at", "members_stated", *annotations)
        .get()
    )
    text = REPORT_FORMAT + "|" + "|".join(f"{key}={row[key]}" for key in sorted(row))
    return hashlib.sha256(text.encode()).hexdigest()
