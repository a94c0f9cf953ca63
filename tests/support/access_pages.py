"""The addresses of the site for test_access_everywhere.py: walked from the URLconf, each filled
with the ids of one's own objects or another service's."""


import itertools
from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reviews.models import (
    Perspective,
)
from tests.support.personas import PERSONA_NAMES

SIGN_IN = reverse("login")
ANONYMOUS = "anonymous"
EVERYONE = [*PERSONA_NAMES, ANONYMOUS]
ADMIN = "admin"
METHODS = ("GET", "POST")

# --- the addresses ----------------------------------------------------------------------------

# Not walked: the admin site (Django's own permission checks); static and media files.
SKIPPED_ROUTES = ("admin/",)
# Public by design: signing in, resetting a forgotten password, and answering the members'
# questionnaire with a session's code (tests/reviews/members/test_sessions.py).
PUBLIC = {
    "health",
    "login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
    "questionnaire:start", "questionnaire:thanks", "questionnaire:answer", "questionnaire:page",
    "questionnaire:check", "accept-invitation",
}

# Every address this test knows, by name. A new one fails test_every_address_is_known until it is
# added here and FILL (or FILL_ON) can fill its parameters.
KNOWN = {
    # the network core and accounts
    "home", "service-list", "service-detail", "audit-log", "logout", "password_change", "password_change_done",
    "network-import", "network-import-template",
    # standards
    "standards:index", "standards:upload", "standards:compare", "standards:edition", "standards:export",
    # a review cycle: the cycle, the self-assessment, the peer review
    "reviews:cycle-open", "reviews:cycle", "reviews:cycle-reopen",
    "reviews:hub", "reviews:answer-step", "reviews:autosave", "reviews:answers",
    "reviews:evidence", "reviews:evidence-download",
    "reviews:members-self-assessment-moved", "reviews:members-step-moved", "reviews:members-answers-moved",
    # the members' questionnaire and voice
    "reviews:questionnaire", "reviews:questionnaire-page", "reviews:questionnaire-check",
    "reviews:questionnaire-thanks", "reviews:questionnaire-printable", "reviews:questionnaire-paper",
    "reviews:questionnaire-meeting", "reviews:members",
    "reviews:conflicts", "reviews:reviewers", "reviews:reviewer", "reviews:reciprocity", "reviews:reviewer-record",
    "reviews:visit", "reviews:visit-ics", "reviews:review", "reviews:review-value",
    "reviews:review-quick", "reviews:agreement", "reviews:agree-value", "reviews:agree-criterion",
    "reviews:findings", "reviews:action", "reviews:accuracy", "reviews:decision", "reviews:feedback",
    # deciding: the follow-up after a deferral, appeals, the award's interim review
    "reviews:follow-up", "reviews:appeal", "reviews:interim-review",
    # each person's choice of the emails they get
    "reviews:notice-settings",
    # reports
    "reports:report", "reports:report-pdf", "reports:report-final", "reports:report-issue",
    "reports:cycle-export", "reports:portfolio", "reports:service-summary", "reports:network-reports",
    "reports:edition-export", "reports:report-status", "reports:report-download", "reports:visit-pack",
}


@dataclass(frozen=True)
class Side:
    """The objects whose ids fill the addresses: a persona's own, another service's, or none at all."""

    name: str
    cycle: object = 0
    evidence: object = 0
    action: object = 0
    version: object = 1  # of the cycle's final report
    service: str = "service"  # slug
    edition: object = 0  # pk
    framework: str = "framework"  # slug
    edition_version: str = "1.0"
    value: str = "V1"
    criterion: str = "V1.1"
    reports: tuple = (0,)  # reports built in the background
    reviewer: object = 0  # pk of a person with a reviewer role (their reviewer record)


# Each parameter, by name: the values it takes for a side (each value gives one address).
FILL = {
    "pk": lambda side: [side.cycle],
    "evidence_pk": lambda side: [side.evidence],
    "action_pk": lambda side: [side.action],
    "version": lambda side: [side.version],
    "edition_pk": lambda side: [side.edition],
    "slug": lambda side: [side.service],
    "framework": lambda side: [side.framework],
    "perspective": lambda side: list(Perspective.values),
    "step": lambda side: [side.value, "check"],
    "value_code": lambda side: [side.value],
    "code": lambda side: [side.criterion],
    "fmt": lambda side: ["csv", "json"],
    "number": lambda side: [1],  # a page of the members' questionnaire
    "rest": lambda side: [f"step/{side.value}/"],  # an old members' self-assessment address
    "user_pk": lambda side: [side.reviewer],
}
# Where a parameter's name means something else on one address.
FILL_ON = {
    ("reports:report-status", "pk"): lambda side: list(side.reports),
    ("reports:report-download", "pk"): lambda side: list(side.reports),
    ("standards:edition", "version"): lambda side: [side.edition_version],
    ("standards:export", "version"): lambda side: [side.edition_version],
}
# Parameters naming a thing inside a cycle: one's own cycle's address with another cycle's thing in
# it must answer as a missing thing does, even to a network administrator.
CHILDREN = {"evidence_pk", "action_pk"}


@dataclass(frozen=True)
class Page:
    name: str  # with its namespace, as reverse() takes it
    route: str
    params: tuple

    def filler(self, param):
        return FILL_ON.get((self.name, param)) or FILL.get(param)

    def urls(self, side):
        """Every address of this page for the side's objects, in a fixed order."""
        choices = [self.filler(param)(side) for param in self.params]
        return [reverse(self.name, kwargs=dict(zip(self.params, values, strict=True)))
                for values in itertools.product(*choices)]


def _is_static(pattern, route):
    module = getattr(pattern.callback, "__module__", "") or ""
    prefixes = [prefix.lstrip("/") for prefix in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")) if prefix]
    return module in ("django.views.static", "django.contrib.staticfiles.views") or any(
        prefix and route.startswith(prefix) for prefix in prefixes
    )


def _params_of(pattern):
    converters = getattr(pattern, "converters", None)
    return tuple(converters) if converters is not None else tuple(pattern.regex.groupindex)


def walk(patterns=None, route="", namespace="", params=()):
    """Every address of the URLconf, through its includes: (name with its namespace, route, parameters)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = route + str(pattern.pattern)
        if here.startswith(SKIPPED_ROUTES):
            continue
        found = params + _params_of(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from walk(pattern.url_patterns, here, inner, found)
        elif isinstance(pattern, URLPattern) and not _is_static(pattern, here):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, here, found


def pages():
    """The addresses this test checks: every walked one but the public ones."""
    return [Page(name, route, found) for name, route, found in walk() if name not in PUBLIC]


def requests_for(sides, page_list):
    """[(page, side, url)] for each page and side, each address once."""
    seen, found = set(), []
    for page in page_list:
        for side in sides:
            for url in page.urls(side):
                if url not in seen:
                    seen.add(url)
                    found.append((page, side, url))
    return found


def out_of_reach_requests(foreign, mixed, page_list):
    """Another service's objects on every address that takes an object; one's own cycle's
    addresses with another cycle's evidence or action in them."""
    with_objects = [page for page in page_list if page.params]
    return requests_for([foreign], with_objects) + requests_for(
        [mixed], [page for page in with_objects if CHILDREN & set(page.params)]
    )
