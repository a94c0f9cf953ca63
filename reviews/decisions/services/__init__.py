"""Domain actions of deciding a review. Each runs in one transaction, checks its preconditions and
raises ReviewError with a message for the person when a rule would be broken.

- ratify.py: the lead reviewer's recommendation, its ratification or return;
- follow_up.py: the follow-up review after a deferral;
- appeals.py: appeals against a decision;
- lifecycle.py: the award's validity and its interim review.
"""
