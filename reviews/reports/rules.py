"""Who may read, issue and export reports."""

import rules

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.rules import is_network_admin
from reviews.cycles.rules import (
    commissions_cycle_service,
    is_on_review_team,
    ratings_are_agreed,
    report_is_draft_or_later,
    report_is_final,
    sees_others_ratings,
    service_people,
)


@rules.predicate
def is_commissioner(user):
    return roles_of(user).has(RoleKind.COMMISSIONER)


@rules.predicate
def owns_report(user, report):
    return report.owner_id == user.pk


# The report shows every reviewer's ratings and comments and the agreed ratings, so a reviewer
# sees it only once they may see those (as for the decision page).
rules.add_rule("view_report", is_network_admin | (is_on_review_team & (sees_others_ratings | ratings_are_agreed))
               | (service_people & report_is_draft_or_later) | (commissions_cycle_service & report_is_final))
rules.add_rule("issue_report", is_network_admin & report_is_final)
# Exports have the permissions of the pages (docs/exports.md); sections are filtered one by one.
rules.add_rule("export_cycle", is_network_admin | is_on_review_team | (service_people & report_is_draft_or_later)
               | (commissions_cycle_service & report_is_final))
rules.add_rule("export_edition", is_network_admin)
rules.add_rule("view_portfolio", is_commissioner)
rules.add_rule("build_network_reports", is_network_admin)
# Reports built in the background: a network report is the administrators', a portfolio its owner's.
rules.add_rule("read_network_report", is_network_admin)
rules.add_rule("read_portfolio_report", is_commissioner & owns_report)
