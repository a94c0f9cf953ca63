"""Domain actions of the peer review. Each runs in one transaction, checks its preconditions and
raises ReviewError with a message for the person when a rule would be broken.

- team.py: the visit plan and timetable, the team, conflicts of interest, starting the review;
- ratings.py: each reviewer's independent ratings, and agreeing ratings as a team;
- outcomes.py: findings, actions, the decision, closing, feedback;
- accuracy.py: factual accuracy of the draft report, and changes to agreed ratings and findings;
- records.py: reviewers' records (training, vetting) and the times they cannot visit.
"""

from reviews.peer.services.accuracy import (
    Correction,
    answer_accuracy_comment,
    comment_on_accuracy,
    record_finding_change,
    record_rating_change,
)
from reviews.peer.services.outcomes import (
    acknowledge_urgent_concern,
    add_action,
    add_finding,
    carry_open_actions,
    close_cycle,
    escalate_urgent_concern,
    give_feedback,
    record_decision,
    same_words,
    send_draft_report,
    update_action,
)
from reviews.peer.services.ratings import (
    AgreedAnswer,
    PeerAnswer,
    agree_rating,
    agree_value,
    finish_agreeing,
    rationale_needed,
    save_peer_ratings,
    submit_peer_ratings,
    unrated_criteria,
)
from reviews.peer.services.team import (
    add_team_member,
    add_timetable_item,
    declare_conflict,
    ineligibility,
    plan_visit,
    remove_team_member,
    remove_timetable_item,
    start_peer_review,
)

__all__ = [
    "AgreedAnswer",
    "Correction",
    "PeerAnswer",
    "acknowledge_urgent_concern",
    "add_action",
    "same_words",
    "add_finding",
    "add_team_member",
    "add_timetable_item",
    "agree_rating",
    "agree_value",
    "answer_accuracy_comment",
    "carry_open_actions",
    "close_cycle",
    "comment_on_accuracy",
    "declare_conflict",
    "escalate_urgent_concern",
    "finish_agreeing",
    "give_feedback",
    "ineligibility",
    "plan_visit",
    "rationale_needed",
    "record_decision",
    "record_finding_change",
    "record_rating_change",
    "remove_team_member",
    "remove_timetable_item",
    "save_peer_ratings",
    "send_draft_report",
    "start_peer_review",
    "submit_peer_ratings",
    "unrated_criteria",
    "update_action",
]
