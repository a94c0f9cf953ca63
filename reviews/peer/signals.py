"""What the peer review tells the stages above it, which act on it (reviews.notices emails the
people concerned). Receivers are connected in reviews/apps.py."""

from django.dispatch import Signal

# People were invited to a visit: `visit`, `invitation_ids` (the new invitations only).
visit_invitations_sent = Signal()
# Dates were proposed for a visit, on which the invited say whether they could come: `visit`.
visit_dates_proposed = Signal()
# A visit's date was agreed or changed, with invitations out: `visit`, `date`.
visit_date_agreed = Signal()
# An urgent concern was recorded: `finding`.
urgent_concern_recorded = Signal()
# An urgent concern was escalated to the service's commissioners: `finding`.
urgent_concern_escalated = Signal()
