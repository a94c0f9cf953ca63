"""Who may read, issue and export reports."""

import rules

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.rules import is_network_admin
from reviews.cycles.rules import report_is_final
from reviews.disclosure import Fact, discloses
from reviews.reports.exports import SECTION_FACTS


@rules.predicate
def is_commissioner(user):
    return roles_of(user).has(RoleKind.COMMISSIONER)


@rules.predicate
def owns_report(user, report):
    return report.owner_id == user.pk


# The report is built for its reader's disclosure set; it opens once they may see its heart, the
# agreed ratings (reviews/disclosure.py).
rules.add_rule("view_report", discloses(Fact.AGREED_RATINGS))
rules.add_rule("issue_report", is_network_admin & report_is_final)
# An export holds the sections its reader may see (docs/exports.md); it opens if there is one.
rules.add_rule("export_cycle", discloses(*SECTION_FACTS.values()))
rules.add_rule("export_edition", is_network_admin)
rules.add_rule("view_portfolio", is_commissioner)
rules.add_rule("build_network_reports", is_network_admin)
# Reports built in the background: a network report is the administrators', a portfolio its owner's.
rules.add_rule("read_network_report", is_network_admin)
rules.add_rule("read_portfolio_report", is_commissioner & owns_report)
