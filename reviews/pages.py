"""What every review page does the same way: run a domain action and say how it went, read a
posted id, and send a POST to the one action its button names."""

from django.contrib import messages
from django.http import Http404

from reviews.errors import ReviewError


def posted_pk(value):
    """A primary key sent by a form, or None when what was sent is not one (a tampered request)."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def attempt(request, action, success_message=None):
    """Runs a domain action; a broken rule becomes an error message instead of a crash.
    Returns the action's result (True if it returned nothing), or None when it was refused."""
    try:
        result = action()
    except ReviewError as error:
        messages.error(request, error.message)
        return None
    if success_message:
        messages.success(request, success_message)
    return True if result is None else result


def posted_action(request, actions):
    """The handler of the button that was pressed: a page with several forms names each of its
    POST actions in one table, {button name: handler}. Anything else is a 404."""
    for button, handler in actions.items():
        if button in request.POST:
            return handler
    raise Http404


def form_error(form, error):
    """Places a domain error next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
