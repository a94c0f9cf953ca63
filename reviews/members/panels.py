"""What the members' voice adds to the core's pages: its section of the cycle page."""

import rules

from assurance.panels import Panel
from reviews.members.queries import response_summary


def cycle_section(request, cycle, forms):
    """How many members have answered, the response rate, and the way to the members' voice page."""
    if not rules.test_rule("view_member_responses", request.user, cycle):
        return None
    return Panel("members/_cycle_section.html", {"summary": response_summary(cycle)})
