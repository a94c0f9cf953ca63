"""The network's models: constraints a person would meet as errors, and stable migrations."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError

from assurance.models import SERVICE_ROLES, Role, RoleKind
from tests.factories import RoleFactory, ServiceFactory, UserFactory

PROJECT_ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize("kind", sorted(SERVICE_ROLES))
def test_role_within_service_without_service_refused(db, kind):
    with pytest.raises(IntegrityError):
        RoleFactory(kind=kind, service=None)


def test_role_network_admin_tied_to_service_refused(db):
    with pytest.raises(IntegrityError):
        RoleFactory(kind=RoleKind.NETWORK_ADMIN, service=ServiceFactory())


def test_role_reviewer_without_home_service_allowed(db):
    role = RoleFactory(kind=RoleKind.PEER_REVIEWER, service=None)

    assert Role.objects.filter(pk=role.pk).exists()


def test_role_same_role_twice_refused(db):
    user = UserFactory()
    RoleFactory(user=user, kind=RoleKind.NETWORK_ADMIN, service=None)

    with pytest.raises(IntegrityError):
        RoleFactory(user=user, kind=RoleKind.NETWORK_ADMIN, service=None)


def test_role_service_constraint_names_every_service_role():
    [constraint] = [c for c in Role._meta.constraints if c.name == "role_service_required"]

    [(_lookup, kinds)] = constraint.condition.children[0].children
    assert set(kinds) == {kind.value for kind in SERVICE_ROLES}


@pytest.mark.parametrize("hash_seed", ["0", "1", "2"])
def test_migrations_up_to_date_whatever_the_hash_seed(hash_seed):
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["PYTHONHASHSEED"] = hash_seed

    result = subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "python"), "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
