"""Each request's id: taken from the proxy's X-Request-ID when it sends a sensible one, otherwise
made here; given back in the response's X-Request-ID and put on every log line written while the
request is handled, so one person's trouble can be followed through the logs of every host."""

import contextvars
import logging
import re
import uuid

import sentry_sdk

HEADER = "X-Request-ID"
_SENSIBLE = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
_current = contextvars.ContextVar("request_id", default="")


def current_request_id():
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request.id = offered if _SENSIBLE.match(offered) else uuid.uuid4().hex
        token = _current.set(request.id)
        # An error reported to Sentry carries the same id as the request's log lines (a no-op
        # when SENTRY_DSN is not set).
        sentry_sdk.set_tag("request_id", request.id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("" outside a request: a task worker, a command)."""

    def filter(self, record):
        # Django logs an error answer a view returned ("Service Unavailable: /health/") after the
        # middleware has finished, with the request itself attached to the record.
        request = getattr(record, "request", None)
        record.request_id = current_request_id() or getattr(request, "id", "")
        return True
