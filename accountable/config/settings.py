"""Accountable settings: one module; what differs between installations comes from the environment.

Variables: DATABASE_URL, REPLICA_DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, SECURE_COOKIES,
ACCOUNTABLE_VAR_DIR, CSRF_TRUSTED_ORIGINS, BEHIND_PROXY, SECURE_SSL_REDIRECT, SECURE_HSTS_*,
LOG_LEVEL, LOG_FORMAT, LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES, CSP_REPORT_URI; console email by
default. docs/deployment.md shows a production environment.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

from accountable.config.env import env_bool, env_int, env_list, env_str, secret_key
from accountable.ops.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("ACCOUNTABLE_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    # Serves the API docs' Swagger UI from its own static files, not from a CDN.
    "ninja",
    "csp",
    "axes",
    "accountable.core",
    "accountable.ops",
    "accountable.history",
    "accountable.people",
    "accountable.programme",
    "accountable.accounts",
    "accountable.selection",
    "accountable.relationships",
    "accountable.notifications",
    "accountable.revenue",
    "accountable.exchange",
    "accountable.plans",
]

MIDDLEWARE = [
    "accountable.ops.middleware.RequestLogMiddleware",
    "accountable.ops.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accountable.ops.middleware.ReplicaReadsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accountable.history.middleware.AuditContextMiddleware",
    "accountable.core.middleware.ApiMethodNotAllowedMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accountable.config.urls"
WSGI_APPLICATION = "accountable.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'accountable.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two writers queue instead of
    # failing with "database is locked" when a read transaction upgrades; WAL lets readers
    # go on while one writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

# A PostgreSQL streaming replica for reads (docs/deployment.md); the router sends a GET's reads
# there unless the browser wrote in the last REPLICA_PIN_SECONDS.
REPLICA_DATABASE = env_str("REPLICA_DATABASE_URL", "")
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
DATABASE_ROUTERS: list[str] = []
if REPLICA_DATABASE:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["accountable.ops.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed names (app.3f2a…css) are cached for a year by whitenoise ("immutable"); others 1 h.
WHITENOISE_MAX_AGE = 3600
# Source maps (only a browser's developer tools fetch them; the API docs' are 10 MB) are not
# compressed: most of collectstatic's time would go to them.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# Sessions and cookies: secure unless explicitly told the site runs on plain HTTP (the local demo).
SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
CSRF_FAILURE_VIEW = "accountable.ops.views.csrf_failure"

# Content Security Policy (django-csp): scripts, styles, fonts and connections from this site
# only, no inline script or style, no plugins, no framing. Pages pass data to static scripts
# through data- attributes and json_script; Bootstrap's icons are data: images in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Where browsers report violations (a collector of your choice), if anywhere.
# (Lower case: django-csp refuses settings named CSP_*, its pre-4.0 format.)
_csp_report_uri = env_str("CSP_REPORT_URI", "")
if _csp_report_uri:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [_csp_report_uri]

# Sign-in limits (django-axes, attempts kept in the database: nothing more to run): a username
# is paused for LOGIN_LOCKOUT_MINUTES after LOGIN_FAILURE_LIMIT failures from one address.
# Keyed on username and address together, so that neither a colleague behind the same office
# NAT nor a stranger typing your username can lock you out everywhere.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accountable.ops.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "accountable.ops.views.login_locked_out"
AXES_ENABLE_ADMIN = False  # accountable.ops.admin registers the lockouts for directors
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not kept; failures are

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "accountable@localhost")

COUNTRIES_FIRST = ["GB", "US", "DE", "FR"]

# One JSON object per line (LOG_FORMAT=plain for a person at a terminal), each with the request
# id; one line per request from accountable.request (accountable.ops.middleware).
LOGGING = logging_config(
    level=env_str("LOG_LEVEL", "INFO").upper(), fmt=env_str("LOG_FORMAT", "json").lower()
)

# Pages and API lists.
ACCOUNTABLE_PAGE_SIZE = 50
ACCOUNTABLE_API_MAX_PAGE_SIZE = 500
