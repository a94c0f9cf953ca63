"""Who may do what in deciding a review: recommending and ratifying, follow-ups, appeals, and the
award's interim review. Pages open for those who may see what they show (reviews/disclosure.py)."""

import rules

from reviews.disclosure import Fact, discloses

# --- recommending and ratifying -------------------------------------------------------------------

# --- the follow-up after a deferral ---------------------------------------------------------------

# --- appeals, the award and its interim review -----------------------------------------------------

rules.add_rule("view_follow_up", discloses(Fact.FOLLOW_UP))
rules.add_rule("view_appeal", discloses(Fact.APPEAL))
rules.add_rule("view_interim_review", discloses(Fact.INTERIM_REVIEW))
