"""Settings for Relational Assurance, read from environment variables.

Local use needs none of them: the defaults give a development site on SQLite under var/.
Set ASSURANCE_ENV=production for a real deployment; then a missing secret key or host list
stops the app from starting instead of running insecurely. The README lists every variable.
"""

import logging
import os
from pathlib import Path

import dj_database_url
import pythonjsonlogger.core
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ASSURANCE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name):
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when ASSURANCE_ENV=production.")
    return value


ENVIRONMENT = os.environ.get("ASSURANCE_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("ASSURANCE_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random string (50+ characters).")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [env_required("DJANGO_ALLOWED_HOSTS")]
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "development-only-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    # Debug pages show settings, code and data to whoever causes an error.
    raise ImproperlyConfigured("DJANGO_DEBUG must not be on when ASSURANCE_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "assurance",
    "standards",
    "reviews",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "formtools",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "auditlog",
    "django_tasks_db",
]

MIDDLEWARE = [
    "assurance.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "assurance.urls"
WSGI_APPLICATION = "assurance.wsgi.application"
AUTH_USER_MODEL = "assurance.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assurance.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "assurance.form_renderer.FormRenderer"

# Database: SQLite under var/ by default; DATABASE_URL (postgres://…) selects PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# On PostgreSQL each process keeps a small pool of open connections (psycopg_pool), so a request
# does not pay for connecting; ASSURANCE_DB_POOL_MAX_SIZE=0 turns pooling off (then connections
# are kept for a minute each, as before).
DB_POOL_MAX_SIZE = env_int("ASSURANCE_DB_POOL_MAX_SIZE", 4)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX_SIZE > 0:
        DATABASES["default"].update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1, "max_size": DB_POOL_MAX_SIZE, "timeout": env_int("ASSURANCE_DB_POOL_TIMEOUT", 10),
        }
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set when ASSURANCE_ENV=production.")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "assurance.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id at OWASP's settings first (assurance/passwords.py says why); the others still check
# passwords stored before, and Django re-hashes each with the first at its owner's next sign-in.
PASSWORD_HASHERS = [
    "assurance.passwords.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The number of reverse proxies in front of the site: each appends the address it received the
# request from to X-Forwarded-For, and the client's address is read from there (see
# assurance.throttle.client_address). 0: clients connect directly, and REMOTE_ADDR is theirs.
TRUSTED_PROXY_COUNT = env_int("ASSURANCE_PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))

# Sign-in throttling. django-axes pauses one username from one (real) address after this many
# wrong passwords, for AXES_COOLOFF_MINUTES: a storm of wrong passwords from elsewhere never locks
# out the right person signing in from their own address. Guessing across many usernames from
# one address pauses that address after SIGN_IN_FAILURES_PER_ADDRESS wrong passwords.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
SIGN_IN_PAUSE_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = SIGN_IN_PAUSE_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "assurance.throttle.client_address"
SIGN_IN_FAILURES_PER_ADDRESS = env_int("ASSURANCE_SIGN_IN_FAILURES_PER_ADDRESS", 30)
# Wrong members' questionnaire codes from one address before it must wait (codes are 8 characters
# of 31: at 10 guesses in 15 minutes, finding one open code by chance takes millions of years).
QUESTIONNAIRE_CODE_GUESSES = env_int("ASSURANCE_QUESTIONNAIRE_CODE_GUESSES", 10)
QUESTIONNAIRE_CODE_PAUSE_MINUTES = env_int("ASSURANCE_QUESTIONNAIRE_CODE_PAUSE_MINUTES", 15)
# Password reset emails: at most this many an hour for one account, and asked for from one address.
PASSWORD_RESETS_PER_ACCOUNT = env_int("ASSURANCE_PASSWORD_RESETS_PER_ACCOUNT", 3)
PASSWORD_RESETS_PER_ADDRESS = env_int("ASSURANCE_PASSWORD_RESETS_PER_ADDRESS", 10)

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("ASSURANCE_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "assurance" / "static"]
# Locally (and in tests) WhiteNoise serves straight from the source folders; production runs
# collectstatic into STATIC_ROOT and serves compressed, cache-busted copies.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("ASSURANCE_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded evidence and built reports are private: they have no public URL and are served only
# through views that check permission, so there is no MEDIA_URL. On one host they live under
# MEDIA_ROOT; with ASSURANCE_S3_BUCKET set, in S3-compatible object storage that every host shares.
S3_BUCKET = os.environ.get("ASSURANCE_S3_BUCKET", "")
if S3_BUCKET:
    FILE_STORAGE = {
        "BACKEND": "assurance.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("ASSURANCE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ASSURANCE_S3_REGION") or None,
            "access_key": os.environ.get("ASSURANCE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("ASSURANCE_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("ASSURANCE_S3_PREFIX", ""),
        },
    }
else:
    FILE_STORAGE = {"BACKEND": "assurance.storage.PrivateStorage"}
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: SMTP in production (EMAIL_HOST, EMAIL_PORT, ...); printed to the console locally.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 20,
    }
# Invitations to set a password (assurance/onboarding): the emailed link works for this many days.
INVITATION_DAYS = env_int("ASSURANCE_INVITATION_DAYS", 14)
# /health/ answers 503 once the oldest job waiting for the task worker has waited longer than this.
HEALTH_QUEUE_MAX_WAIT_SECONDS = env_int("ASSURANCE_HEALTH_QUEUE_MAX_WAIT_SECONDS", 900)
# The address people reach the app at, for links in emails.
SITE_URL = os.environ.get("ASSURANCE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The network report: no figure describes fewer services than this, and services appear by codes
# keyed with this secret (by default the site's secret key), which change every year.
NETWORK_MINIMUM_SERVICES = env_int("ASSURANCE_NETWORK_MINIMUM", 5)
NETWORK_CODE_SECRET = os.environ.get("ASSURANCE_NETWORK_CODE_SECRET", SECRET_KEY)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Relational Assurance <assurance@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Evidence files are deleted this many years after their review cycle closes (manage.py apply_retention);
# the evidence record stays, saying when and why (docs/data-protection.md).
EVIDENCE_RETENTION_YEARS = env_int("ASSURANCE_EVIDENCE_RETENTION_YEARS", 6)
# Evidence uploads: the largest file accepted (10 MB unless set).
EVIDENCE_MAX_BYTES = env_int("ASSURANCE_EVIDENCE_MAX_MB", 10) * 1024 * 1024
# An office file (a zip archive) may unpack to at most this much, and to at most 100 times its size.
EVIDENCE_MAX_UNPACKED_BYTES = env_int("ASSURANCE_EVIDENCE_MAX_UNPACKED_MB", 200) * 1024 * 1024

# Deciding a review (reviews/decisions): how many network administrators not on the team must
# ratify the lead reviewer's recommendation; how long an award lasts and when it is "expiring";
# the days the service has to appeal, and to add to its action plan, after the final report;
# and the weeks a deferred service has for its follow-up.
RATIFICATION_PANEL_SIZE = env_int("ASSURANCE_RATIFICATION_PANEL", 1)
AWARD_VALID_YEARS = env_int("ASSURANCE_AWARD_VALID_YEARS", 3)
AWARD_EXPIRY_WARNING_DAYS = env_int("ASSURANCE_AWARD_EXPIRY_WARNING_DAYS", 90)
APPEAL_WINDOW_DAYS = env_int("ASSURANCE_APPEAL_WINDOW_DAYS", 28)
ACTION_PLAN_WINDOW_DAYS = env_int("ASSURANCE_ACTION_PLAN_WINDOW_DAYS", 42)
FOLLOW_UP_WEEKS = env_int("ASSURANCE_FOLLOW_UP_WEEKS", 12)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# What is cached (the network's comparison figures, a report page's charts) is kept in the
# database, so every host and worker shares it; `manage.py createcachetable` makes its table
# (`make run` and the deployment steps run it). ASSURANCE_CACHE=memory keeps it in each process.
CACHE_KIND = os.environ.get("ASSURANCE_CACHE", "database")
if CACHE_KIND not in {"database", "memory"}:
    raise ImproperlyConfigured("ASSURANCE_CACHE must be 'database' or 'memory'.")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "assurance_cache",
         "OPTIONS": {"MAX_ENTRIES": 5000}}
        if CACHE_KIND == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Content Security Policy: only our own scripts, styles and images; no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", True) else None
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Logs go to standard error, one JSON object a line in production (ASSURANCE_LOG_FORMAT=json or
# text), each with the id of the request it was written in (assurance.request_id).
LOG_FORMAT = os.environ.get("ASSURANCE_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("ASSURANCE_LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "assurance.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Django's request log records carry the request, whose address may hold a searched name.
            "reserved_attrs": [*pythonjsonlogger.core.RESERVED_ATTRS, "request"],
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
if LOG_FORMAT == "json":
    logging.captureWarnings(True)  # Python's warnings as log lines too: one JSON object a line

# Errors reported to Sentry (or a service speaking its protocol, such as GlitchTip) when
# SENTRY_DSN is set; no personal data is sent with them.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", ENVIRONMENT), send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )

# Matplotlib needs a writable cache folder in server processes.
os.environ.setdefault("MPLCONFIGDIR", str(VAR_DIR / "matplotlib"))

AUDITLOG_INCLUDE_ALL_MODELS = False
AXES_VERBOSE = False
