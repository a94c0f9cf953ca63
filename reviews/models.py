"""Every model of the reviews app, gathered where Django looks for them.

Each stage keeps its own models in its package (reviews/cycles, selfassessment, peer, reports);
this module only makes them one app, `reviews`, with the tables it always had. Code inside a
stage imports the models of its own stage and of the stages below it, never this module.
"""

from reviews.cycles.models import Cycle, CycleEvent, CycleState
from reviews.members.models import (
    Channel,
    MemberAnswer,
    MemberParticipation,
    MemberQuote,
    MemberResponse,
    MemberResponseAnswer,
    QuestionnaireSession,
)
from reviews.peer.models import (
    AccuracyComment,
    Action,
    ActionNote,
    ActionStatus,
    AgreedRating,
    ConflictOfInterest,
    Decision,
    DecisionOutcome,
    Finding,
    FindingKind,
    PeerRating,
    TeamMember,
    TeamRole,
    TimetableItem,
    TimetableKind,
    Visit,
    VisitFeedback,
)
from reviews.reports.models import JobStatus, Report, ReportKind, report_path
from reviews.selfassessment.models import Evidence, EvidenceKind, Perspective, SelfRating, evidence_path

__all__ = [
    "AccuracyComment",
    "Action",
    "ActionNote",
    "ActionStatus",
    "AgreedRating",
    "Channel",
    "ConflictOfInterest",
    "Cycle",
    "CycleEvent",
    "CycleState",
    "Decision",
    "DecisionOutcome",
    "Evidence",
    "EvidenceKind",
    "Finding",
    "FindingKind",
    "JobStatus",
    "MemberAnswer",
    "MemberParticipation",
    "MemberQuote",
    "MemberResponse",
    "MemberResponseAnswer",
    "PeerRating",
    "Perspective",
    "QuestionnaireSession",
    "Report",
    "ReportKind",
    "SelfRating",
    "TeamMember",
    "TeamRole",
    "TimetableItem",
    "TimetableKind",
    "Visit",
    "VisitFeedback",
    "evidence_path",
    "report_path",
]
