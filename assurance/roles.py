"""What a person is in the network, read once per request.

`roles_of(user)` loads all of a person's roles in one query and keeps them on the user object,
so that permission checks and scoped querysets on a page cost no further queries.
"""

from dataclasses import dataclass, field

from assurance.models import REVIEWER_ROLES, Role, RoleKind

_CACHE_ATTRIBUTE = "_assurance_roles"


@dataclass(frozen=True)
class RoleSet:
    kinds: frozenset = frozenset()
    services_by_kind: dict = field(default_factory=dict)
    superuser: bool = False

    @property
    def is_network_admin(self):
        return self.superuser or RoleKind.NETWORK_ADMIN in self.kinds

    @property
    def is_reviewer(self):
        return bool(self.kinds & REVIEWER_ROLES)

    def has(self, kind):
        return kind in self.kinds

    def service_ids(self, *kinds):
        ids = set()
        for kind in kinds:
            ids |= self.services_by_kind.get(kind, set())
        return ids

    def holds_for(self, service, *kinds):
        service_id = getattr(service, "pk", service)
        return any(service_id in self.services_by_kind.get(kind, ()) for kind in kinds)

    @property
    def home_service_ids(self):
        """Services a person belongs to: they may never review these."""
        return self.service_ids(RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER, *REVIEWER_ROLES)


ANONYMOUS = RoleSet()


def roles_of(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        read_roles_of_many([user])
        cached = getattr(user, _CACHE_ATTRIBUTE)
    return cached


def read_roles_of_many(users):
    """Reads the roles of all these people in one query and keeps them on each, as `roles_of`
    does, so that asking about each of many people (the recipients of a notice) costs nothing more."""
    users = [user for user in users if user.is_active and not hasattr(user, _CACHE_ATTRIBUTE)]
    if not users:
        return
    services_by_user = {user.pk: {} for user in users}
    for user_id, kind, service_id in Role.objects.filter(user__in=users).values_list("user_id", "kind", "service_id"):
        services = services_by_user[user_id].setdefault(kind, set())
        if service_id is not None:
            services.add(service_id)
    for user in users:
        services_by_kind = services_by_user[user.pk]
        setattr(user, _CACHE_ATTRIBUTE, RoleSet(frozenset(services_by_kind), services_by_kind, superuser=user.is_superuser))


def forget_roles(user):
    """Call after changing a person's roles within a request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
