"""The cycle page: what is known about a cycle, its history, and a section from each stage.

The cycle comes first and knows nothing of the stages built on it, so each stage registers the
section it adds to this page as a panel of the "cycle" slot (see assurance.panels), a function
of (request, cycle, forms). `forms` carries a bound form back to its section when a POST needs
correcting.
"""

from django.shortcuts import render

from assurance.panels import panels

CYCLE_PAGE = "cycle"


def render_cycle_page(request, cycle, *, forms=None, status=200):
    forms = forms or {}
    context = {
        "cycle": cycle,
        "sections": panels(CYCLE_PAGE, request, cycle=cycle, forms=forms),
        "events": cycle.events.select_related("actor"),
        # The page's title says "Error:" while a form on it needs correcting.
        "form": next((form for form in forms.values() if form.errors), None),
    }
    return render(request, "cycles/cycle_detail.html", context, status=status)
