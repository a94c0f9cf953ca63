"""Every kind of notice the site sends. Essential notices cannot be turned off: they ask someone
to act where nobody else will (an invitation to answer, an urgent concern, a decision about
their service); the others are reminders a person may do without."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NoticeKind:
    code: str
    label: str
    essential: bool = False


URGENT_CONCERN = NoticeKind("urgent_concern", _("An urgent concern is recorded or escalated to you"), essential=True)
VISIT_INVITATION = NoticeKind("visit_invitation", _("You are invited to a peer-review visit"), essential=True)
VISIT_DATE_AGREED = NoticeKind("visit_date_agreed", _("A visit's date is agreed (with a calendar file)"), essential=True)
DECISION = NoticeKind("decision", _("A decision about a review you are part of"), essential=True)
SELF_ASSESSMENT_DUE = NoticeKind("self_assessment_due", _("Your service's self-assessment is due soon or overdue"))
RATINGS_DUE = NoticeKind("ratings_due", _("Your ratings for a visit are still to submit"))
DRAFT_READY = NoticeKind("draft_ready", _("A draft report is ready for you to check"))
COMMENTS_WAITING = NoticeKind("comments_waiting", _("Comments on a draft report wait for your answer"))
ACTIONS_OVERDUE = NoticeKind("actions_overdue", _("Actions in your service's plan are overdue"))
AWARD_EXPIRING = NoticeKind("award_expiring", _("Your service's award expires soon"))
REPORT_READY = NoticeKind("report_ready", _("A final report is ready to read"))

ALL = [
    URGENT_CONCERN, VISIT_INVITATION, VISIT_DATE_AGREED, DECISION, SELF_ASSESSMENT_DUE, RATINGS_DUE,
    DRAFT_READY, COMMENTS_WAITING, ACTIONS_OVERDUE, AWARD_EXPIRING, REPORT_READY,
]
BY_CODE = {kind.code: kind for kind in ALL}
OPTIONAL = [kind for kind in ALL if not kind.essential]
