"""The columns of an onboarding file and the words it may use for roles and yes or no; the
header's errors."""

import re

from django.utils.translation import gettext as _

from assurance.models import RoleKind
from assurance.onboarding.plan import Error

# The columns, in the template's order; the first six must be in every file.
REQUIRED_COLUMNS = ("organisation", "service", "first_name", "last_name", "email", "role")
OPTIONAL_COLUMNS = ("sector", "region", "secure_setting", "reviewer_trained_on", "vetting", "vetting_expires_on")
COLUMNS = (
    "organisation", "service", "sector", "region", "secure_setting", "first_name", "last_name", "email", "role",
    "reviewer_trained_on", "vetting", "vetting_expires_on",
)
# Other names people give the columns.
COLUMN_ALIASES = {
    "organization": "organisation", "org": "organisation", "service_name": "service", "unit": "service",
    "secure": "secure_setting", "firstname": "first_name", "forename": "first_name", "given_name": "first_name",
    "lastname": "last_name", "surname": "last_name", "family_name": "last_name", "email_address": "email",
    "e_mail": "email", "trained_on": "reviewer_trained_on", "reviewer_training": "reviewer_trained_on",
    "training_completed": "reviewer_trained_on", "vetting_or_security_clearance": "vetting",
    "security_clearance": "vetting", "vetting_expires": "vetting_expires_on", "vetting_expiry": "vetting_expires_on",
}
MAX_LENGTHS = {
    "organisation": 200, "service": 200, "sector": 100, "region": 100, "first_name": 150, "last_name": 150,
    "email": 254, "vetting": 100,
}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}
ROLE_ALIASES = {"admin": RoleKind.NETWORK_ADMIN, "network admin": RoleKind.NETWORK_ADMIN, "lead": RoleKind.SERVICE_LEAD,
                "lived experience": RoleKind.LIVED_EXPERIENCE_REVIEWER, "reviewer": RoleKind.PEER_REVIEWER}
REVIEWER_COLUMNS = ("reviewer_trained_on", "vetting", "vetting_expires_on")
PERSON_COLUMNS = ("first_name", "last_name", "email", "role", *REVIEWER_COLUMNS)


def column_key(header):
    key = re.sub(r"[\s\-]+", "_", header.strip().lower().replace("(optional)", "").strip(" ?*"))
    return COLUMN_ALIASES.get(key, key)


def role_kind(text, names=None):
    """The role a cell names, by its code or its label, or None. `names` is role_names(), to
    look it up once for a whole file."""
    names = role_names() if names is None else names
    return names.get(re.sub(r"[\s_\-]+", " ", text.strip().lower()))


def role_names():
    names = dict(ROLE_ALIASES)
    for kind in RoleKind:
        names[kind.value.replace("_", " ")] = kind
        names[str(kind.label).lower().replace("-", " ")] = kind
    return names


def header_errors(headers):
    """Errors of the first line: a missing required column, an unknown or repeated one."""
    errors, seen = [], {}
    for position, header in enumerate(headers, start=1):
        key = column_key(header)
        if not header:
            errors.append(Error(1, "", _("Column %(position)d has no name. Name it or delete it.") % {"position": position}))
        elif key not in COLUMNS:
            errors.append(Error(1, header, _("“%(header)s” is not a column this import knows. The columns are: %(columns)s.")
                                % {"header": header, "columns": ", ".join(COLUMNS)}))
        elif key in seen:
            errors.append(Error(1, header, _("The column “%(header)s” appears twice.") % {"header": header}))
        seen.setdefault(key, header)
    for column in REQUIRED_COLUMNS:
        if column not in seen:
            errors.append(Error(1, column, _("The column “%(column)s” is missing. Every file needs the columns: %(columns)s.")
                                % {"column": column, "columns": ", ".join(REQUIRED_COLUMNS)}))
    return errors
