"""The reviews' part of the demo network: a review at every stage (see the stages' demo modules),
built through the domain services so that the demo obeys the same rules as people do."""

from assurance.demo import current_editions, refresh_planner_statistics, register_demo_note
from reviews.decisions.demo import seed_demo_decisions
from reviews.decisions.demo_network import seed_demo_network_reviews
from reviews.members.demo import DEMO_SESSION_NOTE, seed_demo_member_voices
from reviews.peer.demo import seed_demo_peer_reviews
from reviews.peer.demo_reviewers import seed_demo_reviewer_records
from reviews.peer.invitation_demo import seed_demo_invitations
from reviews.selfassessment.demo import seed_demo_cycles


def seed_demo_reviews(services, people):
    edition, editions = current_editions()
    seed_demo_cycles(services, edition, people)
    seed_demo_member_voices(services, people)
    refresh_planner_statistics()
    seed_demo_peer_reviews(services, editions, people)
    seed_demo_invitations()
    refresh_planner_statistics()
    seed_demo_decisions(services, editions, people)
    seed_demo_network_reviews(services, editions, people)
    seed_demo_reviewer_records(services, people)
    refresh_planner_statistics()
    register_demo_note(DEMO_SESSION_NOTE)
