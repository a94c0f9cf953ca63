"""Access checks for views: what lies beyond a person's reach answers 404, never 403."""

import rules
from django.http import Http404


def require(rule, user, obj=None):
    """Answers 404, not 403, so that nobody learns what exists beyond their reach."""
    if not rules.test_rule(rule, user, obj):
        raise Http404
