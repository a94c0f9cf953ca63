"""Several hosts share what is cached: the default cache is the database's (table assurance_cache),
so the network's comparison figures one host computed are read by another, and nothing a second
host needs is kept in one process's memory. A cache kind the settings do not know is refused.
On PostgreSQL each process keeps a pool of connections, which ASSURANCE_DB_POOL_MAX_SIZE sizes
and 0 turns off."""

import os
import subprocess
import sys
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.cycles.models import CycleState
from reviews.disclosure import WHOLE_REPORT
from reviews.reports import drawn_charts, figures, report_page
from tests.assurance.test_settings import manage, production_env
from tests.factories import build_edition
from tests.reviews.reports.test_workers import database_url
from tests.support.reviews import OTHER_NAMES, PeerReview, other_services

DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "assurance_cache",
                "OPTIONS": {"MAX_ENTRIES": 5000}}
}


@pytest.fixture
def database_cache(settings, db):
    settings.CACHES = DATABASE_CACHE
    # The test settings cache in memory, so the test database was migrated without the table.
    call_command("createcachetable", verbosity=0)
    hosts = [caches.create_connection("default"), caches.create_connection("default")]
    hosts[0].clear()
    yield hosts
    hosts[0].clear()


@pytest.fixture
def edition(db):
    edition = build_edition(values=2, criteria_per_value=2)
    other_services(edition, OTHER_NAMES[:django_settings.NETWORK_MINIMUM_SERVICES])
    return edition


def spread_on(host, edition, monkeypatch):
    """network_spread as a process whose cache is `host` computes it, and the SQL it ran."""
    monkeypatch.setattr(figures, "cache", host)
    with CaptureQueriesContext(connection) as queries:
        spread = figures.network_spread(edition)
    return spread, [query["sql"] for query in queries.captured_queries]


def cache_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM assurance_cache")
        return [row[0] for row in cursor.fetchall()]


def test_network_spread_computed_on_one_host_is_read_by_another(database_cache, edition, monkeypatch):
    first_host, second_host = database_cache

    computed, computing = spread_on(first_host, edition, monkeypatch)
    read, reading = spread_on(second_host, edition, monkeypatch)

    assert computed is not None and computed["services"] == django_settings.NETWORK_MINIMUM_SERVICES
    assert read == computed
    assert [key for key in cache_rows() if "network-spread" in key]
    # The second host asks what has changed and reads the cache table: nothing is computed again.
    assert len(reading) == 2, reading
    assert "assurance_cache" in reading[1]
    assert len(computing) > len(reading) + 1


def test_network_spread_lives_in_the_database_not_in_a_process(database_cache, edition, monkeypatch):
    first_host, second_host = database_cache
    computed, _computing = spread_on(first_host, edition, monkeypatch)

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM assurance_cache")
    read, reading = spread_on(second_host, edition, monkeypatch)

    # With the table emptied, no host has a copy of its own: the figures are computed afresh.
    assert read == computed
    assert len(reading) > 2


def on_host(host, monkeypatch):
    for module in (report_page, drawn_charts):
        monkeypatch.setattr(module, "cache", host)


def test_report_page_drawn_on_one_host_is_read_by_another(database_cache, personas, monkeypatch):
    first_host, second_host = database_cache
    cycle = PeerReview(personas).to(CycleState.RATINGS_AGREED).cycle

    on_host(first_host, monkeypatch)
    drawn = report_page.report_page_parts(cycle, WHOLE_REPORT)
    on_host(second_host, monkeypatch)
    with CaptureQueriesContext(connection) as reading:
        read = report_page.report_page_parts(cycle, WHOLE_REPORT)

    assert read == drawn and read[1] and read[1][0]["uri"].startswith("data:image/png;base64,")
    # The fingerprint of what the report shows, then the cache table for the data and the charts:
    # nothing is gathered or drawn again.
    assert len(reading) == 3, [query["sql"] for query in reading.captured_queries]
    assert all("assurance_cache" in query["sql"] for query in reading.captured_queries[1:])


def test_settings_choose_the_database_cache_by_default(tmp_path):
    env = production_env(tmp_path, ASSURANCE_CACHE=None)

    result = manage(env, "shell", "--no-imports", "-v0", "-c",
                    "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], "
                    "settings.CACHES['default']['LOCATION'])")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "assurance_cache"]


def test_settings_keep_the_cache_in_memory_only_when_asked(tmp_path):
    result = manage(production_env(tmp_path, ASSURANCE_CACHE="memory"), "shell", "--no-imports", "-v0", "-c",
                    "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_settings_refuse_an_unknown_cache_kind(tmp_path):
    result = manage(production_env(tmp_path, ASSURANCE_CACHE="bad"), "check")

    assert result.returncode != 0
    assert "ASSURANCE_CACHE must be 'database' or 'memory'." in result.stderr


def test_migration_makes_the_cache_table_the_settings_name(settings, db):
    settings.CACHES = DATABASE_CACHE
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS assurance_cache")
    migration = import_module("assurance.migrations.0005_cache_table")

    migration.create_cache_table(apps, SimpleNamespace(connection=connection))

    assert "assurance_cache" in connection.introspection.table_names()


# --- PostgreSQL connection pools ------------------------------------------------------------------

POOL_PROBE = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SELECT 1')\n"
    "    answer = cursor.fetchone()[0]\n"
    "pool = connection.pool\n"
    "connection.close()\n"
    "print(answer, pool is not None, pool and pool.max_size, pool and pool.get_stats().get('pool_size'))\n"
)


def probe_pool(**env):
    """What a process started with DATABASE_URL (on the test database) says of its connections."""
    environment = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE"}}
    environment.update(DATABASE_URL=database_url(), **env)
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-v0", "-c", POOL_PROBE],
                            cwd=django_settings.BASE_DIR, env=environment, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.postgres
def test_postgresql_process_keeps_a_pool_of_four_connections_by_default(monkeypatch):
    monkeypatch.delenv("ASSURANCE_DB_POOL_MAX_SIZE", raising=False)

    answer, pooled, max_size, open_connections = probe_pool()

    # Closing gives the connection back to the pool, which keeps it open for the next request.
    assert (answer, pooled, max_size) == ("1", "True", "4")
    assert int(open_connections) >= 1


@pytest.mark.postgres
def test_postgresql_pool_size_is_set_and_zero_turns_pooling_off():
    assert probe_pool(ASSURANCE_DB_POOL_MAX_SIZE="2")[:3] == ["1", "True", "2"]
    assert probe_pool(ASSURANCE_DB_POOL_MAX_SIZE="0")[:2] == ["1", "False"]
