"""deploy/ works as the README says: every systemd unit parses and runs a command that exists with
options it accepts, gunicorn starts from its config and logs each request with its id, the settings
example names only settings the app reads and sets every one production requires, and the proxies
let through the largest evidence file."""

import configparser
import json
import os
import re
import runpy
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.test import override_settings

from assurance.request_id import _SENSIBLE
from assurance.settings import TASKS as PRODUCTION_TASKS
from tests.assurance.test_settings import PROJECT_ROOT, manage, production_env

DEPLOY = PROJECT_ROOT / "deploy"
INSTALL_ROOT = "/srv/relational-assurance"
ENV_FILE = "/etc/relational-assurance/env"
UNITS = sorted([*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")])
SERVICES = [unit for unit in UNITS if unit.suffix == ".service"]
# What systemd fills in for a specifier, for checking a command's options.
SPECIFIERS = {"%H": "host1.example.org", "%i": "1", "%%": "%"}
APP_SOURCES = [PROJECT_ROOT / "assurance" / "settings.py", PROJECT_ROOT / "deploy" / "gunicorn.conf.py",
               *PROJECT_ROOT.glob("*/backups/*.py")]


def read_unit(path):
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",), comment_prefixes=("#", ";"))
    parser.optionxform = str
    parser.read_string(path.read_text())
    return parser


def exec_start(path):
    return [
        SPECIFIERS.get(word, word) if word in SPECIFIERS else re.sub(r"%[Hi]", lambda m: SPECIFIERS[m[0]], word)
        for word in shlex.split(read_unit(path)["Service"]["ExecStart"])
    ]


def test_the_units_expected_are_all_there():
    assert {unit.name for unit in UNITS} == {
        "relational-assurance-web.service",
        "relational-assurance-worker@.service",
        "relational-assurance-reminders.service",
        "relational-assurance-reminders.timer",
        "relational-assurance-retry-reports.service",
        "relational-assurance-retry-reports.timer",
        "relational-assurance-backup.service",
        "relational-assurance-backup.timer",
        "relational-assurance-retention.service",
        "relational-assurance-retention.timer",
    }


@pytest.mark.parametrize("unit", SERVICES, ids=lambda unit: unit.name)
def test_every_service_runs_as_its_own_user_with_the_settings_file_and_hardened(unit):
    service = read_unit(unit)["Service"]

    assert (service["User"], service["Group"]) == ("assurance", "assurance")
    assert service["WorkingDirectory"] == INSTALL_ROOT
    assert service["EnvironmentFile"] == ENV_FILE
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"].split()[0] == f"{INSTALL_ROOT}/var"
    assert service["PrivateTmp"] == "yes"
    assert service["ProtectHome"] == "yes"
    assert service["CapabilityBoundingSet"] == ""
    assert service["CacheDirectory"] == "relational-assurance"


@pytest.mark.parametrize("unit", SERVICES, ids=lambda unit: unit.name)
def test_every_service_runs_a_program_of_the_virtual_environment(unit):
    program = exec_start(unit)[0]

    assert program.startswith(f"{INSTALL_ROOT}/.venv/bin/")
    assert (PROJECT_ROOT / program.removeprefix(f"{INSTALL_ROOT}/")).exists() or not (PROJECT_ROOT / ".venv").exists()


@pytest.mark.parametrize("unit", [unit for unit in SERVICES if "manage.py" in exec_start(unit)], ids=lambda u: u.name)
def test_every_manage_py_command_exists_and_accepts_its_options(unit):
    _, script, name, *arguments = exec_start(unit)

    assert script == "manage.py"
    assert name in get_commands(), f"{unit.name} runs manage.py {name}, which does not exist"
    command = load_command_class(get_commands()[name], name)
    # The tests run tasks inline; db_worker checks its options against the deployment's backend.
    with override_settings(TASKS=PRODUCTION_TASKS):
        command.create_parser("manage.py", name).parse_args(arguments)


def test_the_web_service_runs_gunicorn_with_the_config_file_here():
    program, *arguments = exec_start(DEPLOY / "relational-assurance-web.service")

    assert program.endswith("/gunicorn")
    assert arguments == ["--config", "deploy/gunicorn.conf.py"]
    assert (PROJECT_ROOT / arguments[1]).is_file()


def test_workers_are_a_template_so_several_can_run():
    worker = DEPLOY / "relational-assurance-worker@.service"

    assert exec_start(worker)[2] == "db_worker"
    assert "%i" in read_unit(worker)["Service"]["ExecStart"]
    assert read_unit(worker)["Service"]["KillSignal"] == "SIGTERM"


@pytest.mark.parametrize(("timer", "calendar"), [("reminders", "hourly"), ("retry-reports", "*:0/15"), ("backup", "*-*-* 02:30"), ("retention", "*-*-* 03:30")])
def test_each_timer_runs_its_service_and_catches_up_after_downtime(timer, calendar):
    unit = read_unit(DEPLOY / f"relational-assurance-{timer}.timer")

    assert (DEPLOY / f"relational-assurance-{timer}.service").exists()
    assert unit["Timer"]["OnCalendar"] == calendar
    assert unit["Timer"]["Persistent"] == "true"
    assert unit["Install"]["WantedBy"] == "timers.target"
    assert read_unit(DEPLOY / f"relational-assurance-{timer}.service")["Service"]["Type"] == "oneshot"


def test_systemd_accepts_every_unit(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    (tmp_path / "env").write_text("")
    for unit in UNITS:
        text = unit.read_text().replace(INSTALL_ROOT, str(PROJECT_ROOT)).replace(ENV_FILE, str(tmp_path / "env"))
        (tmp_path / unit.name).write_text(text)

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(path) for path in tmp_path.glob("*.*")
                                                        if path.suffix in {".service", ".timer"})],
        capture_output=True, text=True, timeout=120,
    )

    # Unknown keys and bad values are only warned about, so any output is a fault.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def gunicorn_env(tmp_path, **overrides):
    return production_env(tmp_path, RUNTIME_DIRECTORY=str(tmp_path / "run"), **overrides)


def gunicorn():
    return str(Path(sys.executable).parent / "gunicorn")


def test_gunicorn_accepts_its_config(tmp_path):
    result = subprocess.run(
        [gunicorn(), "--check-config", "--config", "deploy/gunicorn.conf.py"],
        cwd=PROJECT_ROOT, env=gunicorn_env(tmp_path), capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def serve_one_request(tmp_path, log_format, request_id):
    """Starts gunicorn as the web service does (one worker, any free port), asks /health/ once as the
    proxy would, stops it and gives back what it wrote on stdout and stderr."""
    (tmp_path / "run").mkdir()
    (tmp_path / "var" / "static").mkdir(parents=True)
    env = gunicorn_env(tmp_path, ASSURANCE_LOG_FORMAT=log_format, DJANGO_ALLOWED_HOSTS="127.0.0.1")
    server = subprocess.Popen(
        [gunicorn(), "--config", "deploy/gunicorn.conf.py", "--bind", "127.0.0.1:0", "--workers", "1"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        started = []
        for line in server.stderr:
            started.append(line)
            if "Listening at: http://127.0.0.1:" in line:
                break
        port = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", "".join(started))
        assert port, "".join(started)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port[1]}/health/", headers={"X-Request-ID": request_id, "X-Forwarded-Proto": "https"}
        )
        with pytest.raises(urllib.error.HTTPError) as answer:  # 503: the database has no tables
            urllib.request.urlopen(request, timeout=120)
        with answer.value:
            assert answer.value.code == 503
            assert answer.value.headers["X-Request-ID"] == request_id
        assert (tmp_path / "run" / "gunicorn.ctl").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=120)
    return stdout, "".join(started) + stderr


def test_gunicorn_logs_json_lines_and_each_request_with_its_id(tmp_path):
    stdout, stderr = serve_one_request(tmp_path, "json", "from-the-proxy-0001")

    records = [json.loads(line) for line in (stdout + stderr).splitlines() if line.strip()]
    access = [record for record in records if record["logger"] == "gunicorn.access"]
    assert [(record["method"], record["path"], record["status"], record["request_id"]) for record in access] == [
        ("GET", "/health/", 503, "from-the-proxy-0001"),
    ]
    assert {"time", "level", "message", "bytes", "duration_ms"} <= set(access[0])
    assert any(record["logger"] == "gunicorn.error" and "Booting worker" in record["message"] for record in records)
    assert any(record["logger"] == "django.request" and record["request_id"] == "from-the-proxy-0001"
               for record in records)


def test_gunicorn_text_access_lines_carry_the_request_id(tmp_path):
    stdout, _ = serve_one_request(tmp_path, "text", "from-the-proxy-0002")

    assert [line for line in stdout.splitlines() if "request_id=" in line] == [
        line for line in stdout.splitlines() if line.startswith("GET /health/ 503 ")
    ]
    assert stdout.strip().endswith("request_id=from-the-proxy-0002")


def env_example():
    """{name: value} of the lines set, and the names of the lines left commented out."""
    text = (DEPLOY / "env.example").read_text()
    active = {}
    for name, value in re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.MULTILINE):
        active[name] = shlex.split(value)[0] if value.strip() else ""
    commented = set(re.findall(r"^# ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    return active, commented


def names_the_app_reads():
    pattern = r'(?:os\.environ\.get|env_int|env_bool|env_list|env_required)\(\s*"([A-Z][A-Z0-9_]*)"'
    return {name for source in APP_SOURCES for name in re.findall(pattern, source.read_text())}


def names_production_requires():
    settings_text = (PROJECT_ROOT / "assurance" / "settings.py").read_text()
    return (
        set(re.findall(r'env_required\("([A-Z0-9_]+)"\)', settings_text))
        | set(re.findall(r'"([A-Z0-9_]+) must be set when ASSURANCE_ENV=production', settings_text))
        | {"ASSURANCE_ENV"}
    )


def test_env_example_names_only_settings_the_app_reads():
    active, commented = env_example()

    assert set(active) | commented <= names_the_app_reads(), (set(active) | commented) - names_the_app_reads()


def test_env_example_sets_every_setting_production_requires():
    active, _ = env_example()

    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"} <= names_production_requires()
    assert names_production_requires() <= set(active)
    assert active["ASSURANCE_ENV"] == "production"


def test_env_example_filled_in_passes_the_deployment_checks(tmp_path):
    active, _ = env_example()
    filled = {name: value or "filled-in" for name, value in active.items()}
    # The secret and the database are the deployer's; the other values are used as written.
    env = production_env(tmp_path, **{**filled, "DJANGO_SECRET_KEY": None, "DATABASE_URL": None})
    env = {**env, **{key: production_env(tmp_path)[key] for key in ("DJANGO_SECRET_KEY", "DATABASE_URL")}}

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def evidence_max_bytes():
    active, _ = env_example()
    return int(active.get("ASSURANCE_EVIDENCE_MAX_MB", 10)) * 1024 * 1024


def test_nginx_lets_the_largest_evidence_file_through_with_room_for_the_form():
    nginx = (DEPLOY / "nginx.conf").read_text()

    size, unit = re.search(r"^\s*client_max_body_size (\d+)([km]?);", nginx, flags=re.MULTILINE).groups()
    allowed = int(size) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]
    assert allowed >= evidence_max_bytes() + 1024 * 1024


def test_caddy_lets_the_largest_evidence_file_through_with_room_for_the_form():
    caddy = (DEPLOY / "Caddyfile").read_text()

    size, unit = re.search(r"^\s*max_size (\d+)(MB|MiB)$", caddy, flags=re.MULTILINE).groups()
    allowed = int(size) * {"MB": 1000 * 1000, "MiB": 1024 * 1024}[unit]
    assert allowed >= evidence_max_bytes() + 1024 * 1024


def test_gunicorn_runs_a_worker_a_core_and_one_more_unless_told(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == os.cpu_count() + 1

    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == 7


def test_the_proxies_pass_to_gunicorn_with_the_headers_the_app_reads():
    bind = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["bind"]
    nginx = (DEPLOY / "nginx.conf").read_text()
    caddy = (DEPLOY / "Caddyfile").read_text()

    assert f"server {bind};" in nginx
    for header in ("X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme",
                   "X-Request-ID $assurance_request_id", "Host $host"):
        assert f"proxy_set_header {header};" in nginx
    assert "location = /health/ {" in nginx
    assert f"reverse_proxy {bind} {{" in caddy
    assert "header_up X-Request-ID {http.request.uuid}" in caddy


def test_the_ids_the_proxies_make_are_kept_by_the_app():
    nginx_request_id = uuid.uuid4().hex  # nginx's $request_id: 32 hexadecimal digits
    caddy_request_id = str(uuid.uuid4())  # Caddy's {http.request.uuid}

    assert _SENSIBLE.match(nginx_request_id)
    assert _SENSIBLE.match(caddy_request_id)
