"""Test settings: the real settings, with fast password hashing and tasks run inline."""

from assurance.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Live-server threads must not keep connections open, or PostgreSQL cannot drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Each test's connection is the test database's own; a pool would hold connections past a test.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
# Each test process caches in its own memory, emptied by the tests that need it empty; the
# database cache that hosts share is tested on its own (tests/assurance/test_many_hosts.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
