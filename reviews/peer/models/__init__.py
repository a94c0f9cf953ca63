"""The peer review: the visit and its team, independent and agreed ratings, findings, actions,
factual accuracy and the changes made after it, the decision and the service's feedback."""

from reviews.peer.models.findings import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionNote,
    ActionQuerySet,
    ActionStatus,
    Finding,
    FindingKind,
)
from reviews.peer.models.invitations import (
    Availability,
    DateAvailability,
    InvitationStatus,
    InviteeKind,
    ProposedDate,
    VisitInvitation,
)
from reviews.peer.models.outcomes import (
    AWARD_OUTCOMES,
    AccuracyComment,
    ChangeSource,
    Decision,
    DecisionOutcome,
    RatingChange,
    VisitFeedback,
)
from reviews.peer.models.ratings import AgreedRating, PeerRating
from reviews.peer.models.team import (
    ROLE_FOR_PLACE,
    ConflictOfInterest,
    ConflictOfInterestQuerySet,
    TeamMember,
    TeamRole,
    TimetableItem,
    TimetableKind,
    Visit,
)

__all__ = [
    "AWARD_OUTCOMES",
    "OPEN_ACTION_STATUSES",
    "ROLE_FOR_PLACE",
    "AccuracyComment",
    "Action",
    "ActionNote",
    "ActionQuerySet",
    "ActionStatus",
    "AgreedRating",
    "Availability",
    "ChangeSource",
    "ConflictOfInterest",
    "ConflictOfInterestQuerySet",
    "DateAvailability",
    "Decision",
    "DecisionOutcome",
    "Finding",
    "FindingKind",
    "InvitationStatus",
    "InviteeKind",
    "PeerRating",
    "ProposedDate",
    "RatingChange",
    "TeamMember",
    "TeamRole",
    "TimetableItem",
    "TimetableKind",
    "Visit",
    "VisitFeedback",
    "VisitInvitation",
]
