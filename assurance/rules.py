"""Who may do what in the network core. Scoped querysets in queries.py decide what is listed;
these predicates decide what a person may do with an object they can reach."""

import rules
from django.apps import apps

from assurance.models import RoleKind
from assurance.roles import roles_of


@rules.predicate
def is_network_admin(user):
    return roles_of(user).is_network_admin


@rules.predicate
def leads_service(user, service):
    return roles_of(user).holds_for(service, RoleKind.SERVICE_LEAD)


@rules.predicate
def works_in_service(user, service):
    return roles_of(user).holds_for(service, RoleKind.SERVICE_LEAD, RoleKind.STAFF)


@rules.predicate
def is_member_of_service(user, service):
    return roles_of(user).holds_for(service, RoleKind.MEMBER)


@rules.predicate
def commissions_service(user, service):
    return roles_of(user).holds_for(service, RoleKind.COMMISSIONER)


can_view_service = is_network_admin | works_in_service | is_member_of_service | commissions_service
can_see_service_people = is_network_admin | works_in_service

rules.add_rule("view_service", can_view_service)
rules.add_rule("view_service_people", can_see_service_people)
rules.add_rule("view_network", is_network_admin)
rules.add_rule("view_audit_log", is_network_admin)

# The Django admin is where network administrators keep the network's records. They may do so
# because of their role (see assurance/admin.py), not because of is_staff or permission rows.
ADMINISTERED_APPS = ("assurance", "standards", "reviews", "axes", "django_tasks_database")
for _app_label in ADMINISTERED_APPS:
    rules.add_perm(_app_label, is_network_admin)
    for _model in apps.get_app_config(_app_label).get_models():
        for _action in _model._meta.default_permissions:
            rules.add_perm(f"{_app_label}.{_action}_{_model._meta.model_name}", is_network_admin)

# The audit log can be read in the admin too, but never changed or deleted by anyone.
rules.add_perm("auditlog", is_network_admin)
rules.add_perm("auditlog.view_logentry", is_network_admin)
