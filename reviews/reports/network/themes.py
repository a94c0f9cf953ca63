"""The themes of the teams' findings: per value, how many services had a strength and how many an
area for development; their words only in a report that names services."""

from django.utils.translation import gettext as _

from reviews.disclosure import Fact
from reviews.peer.models import Finding, FindingKind
from reviews.reports.network.rules import at_least, network_sees

THEME_KINDS = (FindingKind.STRENGTH, FindingKind.DEVELOPMENT)
GENERAL = "General"  # findings about no criterion in particular


def themes(cycle_ids, value_rows, minimum, names):
    """Per value (and "General" for findings about no criterion), how many services had a
    strength and how many an area for development; each count shown only when at least `minimum`
    services make it up. The findings' words only when services are named, and never an urgent
    concern's."""
    kinds = [kind for kind in THEME_KINDS if network_sees(Fact.STRENGTHS if kind == FindingKind.STRENGTH
                                                          else Fact.DEVELOPMENT)]
    services = {}
    for cycle_id, kind, value_code in Finding.objects.filter(cycle__in=cycle_ids, kind__in=kinds).values_list(
        "cycle_id", "kind", "criterion__value__code"
    ):
        services.setdefault((value_code, kind), set()).add(cycle_id)
    rows = []
    for code, name in [*value_rows, (None, _(GENERAL))]:
        shown = [at_least(len(services.get((code, kind), ())), minimum) if kind in kinds else None
                 for kind in THEME_KINDS]
        rows.append({"code": code, "name": name, "counts": shown,
                     **{str(kind): n for kind, n in zip(THEME_KINDS, shown, strict=True)}})
    return {"rows": rows, "kinds": [str(kind) for kind in kinds],
            "words": _finding_words(cycle_ids, kinds, value_rows) if names else []}


def _finding_words(cycle_ids, kinds, value_rows):
    """Strengths and areas for development in the teams' words, by value (strengths first, then
    by criterion and service), each under its service's name: only in a report that names
    services, at the administrator's request."""
    value_order = {code: index for index, (code, _name) in enumerate(value_rows)}
    kind_order = {kind: index for index, kind in enumerate(THEME_KINDS)}
    labels = dict(FindingKind.choices)
    rows = Finding.objects.filter(cycle__in=cycle_ids, kind__in=kinds).values_list(
        "criterion__value__code", "criterion__value__name", "criterion__order", "criterion__code", "kind",
        "cycle__service__name", "text",
    )
    grouped = {}
    for _code, value, _order, criterion, kind, service, text in sorted(
        rows, key=lambda row: (value_order.get(row[0], len(value_order)), kind_order[row[4]], row[2] or 0, row[5])
    ):
        grouped.setdefault(value or _(GENERAL), []).append(
            {"criterion": criterion or "", "kind": str(labels[kind]), "service": service, "text": text}
        )
    return [{"value": value, "findings": findings} for value, findings in grouped.items()]
