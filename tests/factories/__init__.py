"""factory_boy factories: every model of the network, the standards and the reviews has one, with
no surprises. One module per part of the code; import them all from here."""

import factory

from tests.factories.cycles import CycleEventFactory, CycleFactory
from tests.factories.decisions import (
    AppealFactory,
    FollowUpAnswerFactory,
    FollowUpFactory,
    FollowUpRatingFactory,
    InterimReviewFactory,
    RatificationVoteFactory,
    RatingChangeFactory,
    RecommendationFactory,
)
from tests.factories.invitations import (
    DateAvailabilityFactory,
    NoticeOptOutFactory,
    ProposedDateFactory,
    SentNoticeFactory,
    VisitInvitationFactory,
)
from tests.factories.members import (
    MemberParticipationFactory,
    MemberQuoteFactory,
    MemberResponseAnswerFactory,
    MemberResponseFactory,
    QuestionnaireSessionFactory,
)
from tests.factories.network import (
    PASSWORD,
    AccountInvitationFactory,
    OrganisationFactory,
    RegionFactory,
    ReviewerRecordFactory,
    RoleFactory,
    SectorFactory,
    ServiceFactory,
    ThrottleHitFactory,
    UnavailabilityFactory,
    UserFactory,
)
from tests.factories.peer import (
    AccuracyCommentFactory,
    ActionFactory,
    ActionNoteFactory,
    AgreedRatingFactory,
    ConflictOfInterestFactory,
    DecisionFactory,
    FindingFactory,
    PeerRatingFactory,
    TeamMemberFactory,
    TimetableItemFactory,
    VisitFactory,
    VisitFeedbackFactory,
)
from tests.factories.reports import ReportFactory
from tests.factories.selfassessment import EvidenceFactory, SelfRatingFactory
from tests.factories.standards import (
    CriterionFactory,
    EditionFactory,
    FrameworkFactory,
    RatingLevelFactory,
    ValueFactory,
    build_edition,
)

__all__ = [
    "AccountInvitationFactory",
    "DateAvailabilityFactory",
    "NoticeOptOutFactory",
    "ProposedDateFactory",
    "SentNoticeFactory",
    "VisitInvitationFactory",
    "AppealFactory",
    "FollowUpAnswerFactory",
    "FollowUpFactory",
    "FollowUpRatingFactory",
    "InterimReviewFactory",
    "RatificationVoteFactory",
    "RatingChangeFactory",
    "RecommendationFactory",
    "PASSWORD",
    "MemberParticipationFactory",
    "MemberQuoteFactory",
    "MemberResponseAnswerFactory",
    "MemberResponseFactory",
    "QuestionnaireSessionFactory",
    "AccuracyCommentFactory",
    "ActionFactory",
    "ActionNoteFactory",
    "AgreedRatingFactory",
    "ConflictOfInterestFactory",
    "CriterionFactory",
    "CycleEventFactory",
    "CycleFactory",
    "DecisionFactory",
    "EditionFactory",
    "EvidenceFactory",
    "FindingFactory",
    "FrameworkFactory",
    "OrganisationFactory",
    "PeerRatingFactory",
    "RatingLevelFactory",
    "RegionFactory",
    "ReportFactory",
    "ReviewerRecordFactory",
    "RoleFactory",
    "SectorFactory",
    "SelfRatingFactory",
    "ServiceFactory",
    "TeamMemberFactory",
    "TimetableItemFactory",
    "UnavailabilityFactory",
    "ThrottleHitFactory",
    "UserFactory",
    "ValueFactory",
    "VisitFactory",
    "VisitFeedbackFactory",
    "build_edition",
]


def factories_by_model():
    """{model: its factory} for every factory this package offers."""
    found = {}
    for name in __all__:
        candidate = globals()[name]
        if isinstance(candidate, type) and issubclass(candidate, factory.django.DjangoModelFactory):
            found[candidate._meta.model] = candidate
    return found
