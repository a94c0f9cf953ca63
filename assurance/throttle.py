"""Rate limits that hold across hosts, and the client's real address behind our proxies.

django-axes pauses signing in to one username from one address. Two things it does not do are
here: slowing down someone guessing across many usernames from one address, and limiting password
reset emails. Both count events in the database (ThrottleHit), so several hosts share the count.
"""

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assurance.models import ThrottleHit


def client_address(request):
    """The client's address as the nearest of our trusted proxies saw it.

    Each proxy in front of the site appends the address it received the request from to
    X-Forwarded-For, so with N trusted proxies the client's address is the Nth entry from the
    right; anything to its left was written by the client and is not trusted. Without proxies, or
    when the header is shorter than it must be, it is REMOTE_ADDR. (Written here rather than taken
    from django-ipware, whose proxy count expects every proxy to list itself and gives no address
    at all when a client adds entries of its own, which would put every such client in one bucket.)
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count and _is_address(hops[-count]):
            return hops[-count]
    return remote


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Limit:
    """At most `events` in `minutes`, counted per key within a scope."""

    scope: str
    events: int
    minutes: int

    def _hits(self, key):
        since = timezone.now() - timedelta(minutes=self.minutes)
        return ThrottleHit.objects.filter(scope=self.scope, key=_hashed(key), at__gte=since)

    def reached(self, key):
        return self.events > 0 and self._hits(key).count() >= self.events

    @transaction.atomic
    def record(self, key):
        """Counts one event, and forgets this scope's events older than its window."""
        ThrottleHit.objects.create(scope=self.scope, key=_hashed(key))
        ThrottleHit.objects.filter(scope=self.scope, at__lt=timezone.now() - timedelta(minutes=self.minutes)).delete()

    def clear(self, key):
        self._hits(key).delete()


def _hashed(key):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()


def sign_in_failures():
    """Wrong passwords from one address, across every username."""
    return Limit("sign-in-address", settings.SIGN_IN_FAILURES_PER_ADDRESS, settings.SIGN_IN_PAUSE_MINUTES)


def password_resets_per_account():
    return Limit("reset-account", settings.PASSWORD_RESETS_PER_ACCOUNT, 60)


def password_resets_per_address():
    return Limit("reset-address", settings.PASSWORD_RESETS_PER_ADDRESS, 60)
