"""Signals of the decisions stage, for the stages built on it."""

from django.dispatch import Signal

# Sent inside the transaction that records a decision or changes it (a recommendation ratified,
# a follow-up decided, an appeal upheld) or
# changes where it stands (an appeal lodged or withdrawn), with `cycle`, `actor` and `reason`. The reports stage
# receives it and issues the final report's next version in the same transaction, so that a
# decision and its report never part.
decision_changed = Signal()
