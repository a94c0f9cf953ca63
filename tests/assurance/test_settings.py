"""Production settings pass Django's deployment checks and refuse to start insecurely (no secret key,
no allowed hosts, DEBUG on); pages allow no inline script."""

import os
import secrets
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

PROJECT_ROOT = Path(settings.BASE_DIR)
PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"


# Set for the test run, never in a deployment: tests/conftest.py and scripts/test set
# DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; pytest-django sets DJANGO_SETTINGS_MODULE.
TEST_RUN_ONLY = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env(tmp_path, **overrides):
    env = {key: value for key, value in os.environ.items() if key not in TEST_RUN_ONLY}
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        ASSURANCE_ENV="production",
        DJANGO_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        DJANGO_ALLOWED_HOSTS="assurance.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'assurance.sqlite3'}",
        ASSURANCE_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(env, *args):
    return subprocess.run(
        [str(PYTHON if PYTHON.exists() else sys.executable), "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_production_passes_deploy_checks_without_warnings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_settings_production_without_secret_key_refuses_to_start(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_SECRET_KEY=None), "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_settings_production_with_short_secret_key_refuses_to_start(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_SECRET_KEY="too-short"), "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_settings_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_ALLOWED_HOSTS=None), "check")

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def import_settings(env):
    """Imports the settings in a fresh interpreter, as the server does when it starts."""
    return subprocess.run(
        [str(PYTHON if PYTHON.exists() else sys.executable), "-c", "import assurance.settings"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["true", "True", "1", "yes", "on"])
def test_settings_production_with_debug_on_refuses_to_start(tmp_path, value):
    result = import_settings(production_env(tmp_path, DJANGO_DEBUG=value))

    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_DEBUG must not be on when ASSURANCE_ENV=production."
        in result.stderr
    ), result.stderr


def test_settings_production_with_debug_off_starts(tmp_path):
    result = import_settings(production_env(tmp_path, DJANGO_DEBUG="false"))

    assert result.returncode == 0, result.stderr


def test_settings_production_with_debug_on_is_refused_by_manage_py_too(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_DEBUG="true"), "check")

    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_settings_development_may_turn_debug_on(tmp_path):
    env = production_env(tmp_path, ASSURANCE_ENV="development", DJANGO_DEBUG="true")

    result = import_settings(env)

    assert result.returncode == 0, result.stderr


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []
        self.handlers = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [f"{tag} {name}" for name in attrs if name.startswith("on")]
        if tag == "script":
            self._in_script = {"src": attrs.get("src"), "body": ""}
            self.scripts.append(self._in_script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["body"] += data


PAGES = [
    ("anonymous", "/accounts/sign-in/"),
    ("anonymous", "/accounts/password/reset/"),
    ("admin", "/"),
    ("lead", "/"),
    ("member", "/"),
    ("reviewer", "/"),
    ("commissioner", "/"),
    ("outsider", "/"),
    ("admin", "/services/"),
    ("lead", "home service"),
    ("admin", "/audit/"),
    ("admin", "/standards/"),
    ("admin", "/standards/load/"),
    ("lead", "/services/no-such-service/"),
]


def get_page(personas, client, client_for, persona, url):
    if persona != "anonymous":
        client = client_for(getattr(personas, persona))
    if url == "home service":
        url = personas.home.get_absolute_url()
    return client.get(url)


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_csp_header_forbids_inline_script(personas, client, client_for, persona, url):
    response = get_page(personas, client, client_for, persona, url)

    directives = csp_directives(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_pages_contain_no_inline_script(personas, client, client_for, persona, url):
    response = get_page(personas, client, client_for, persona, url)

    parser = _Scripts()
    parser.feed(response.content.decode())
    assert all(script["src"] and not script["body"].strip() for script in parser.scripts), parser.scripts
    assert parser.handlers == []
