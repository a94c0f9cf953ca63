import rules

from assurance.rules import is_network_admin
from standards.models import EditionStatus


@rules.predicate
def edition_is_public(user, edition):
    return edition.status != EditionStatus.DRAFT


rules.add_rule("view_edition", rules.is_authenticated & (edition_is_public | is_network_admin))
rules.add_rule("load_standards", is_network_admin)
