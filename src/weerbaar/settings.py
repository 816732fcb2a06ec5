"""Weerbaar settings: one module, driven by environment variables.

Modes (``WEERBAAR_MODE``):

* ``development`` (default): DEBUG on, a throw-away secret key, SQLite under ``var/``.
* ``production``: DEBUG off; refuses to start without ``WEERBAAR_SECRET_KEY`` (or
  ``WEERBAAR_SECRET_KEY_FILE``) and ``WEERBAAR_ALLOWED_HOSTS``.

``WEERBAAR_DEMO=1`` switches on demo mode: demo accounts may sign in and MFA is not enforced.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str = "") -> str:
    """Read ``name`` or the contents of the file named by ``name_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name, str(default)).strip()
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("WEERBAAR_DATA_DIR", str(Path.cwd() / "var"))).resolve()

MODE = env("WEERBAAR_MODE", "development").strip().lower()
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured(f"WEERBAAR_MODE must be development or production, not {MODE!r}")
PRODUCTION = MODE == "production"
DEMO_MODE = envbool("WEERBAAR_DEMO", False)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("WEERBAAR_DEMO cannot be switched on in production mode.")
DEBUG = envbool("WEERBAAR_DEBUG", not PRODUCTION)

SECRET_KEY = env("WEERBAAR_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "WEERBAAR_SECRET_KEY (or WEERBAAR_SECRET_KEY_FILE) is required in production mode."
        )
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("WEERBAAR_SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = envlist("WEERBAAR_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("WEERBAAR_ALLOWED_HOSTS is required in production mode.")
CSRF_TRUSTED_ORIGINS = envlist("WEERBAAR_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "weerbaar.accounts",
    "weerbaar.audit",
    "weerbaar.organisations",
    "weerbaar.frameworks",
    "weerbaar.assessments",
    "weerbaar.disclosure",
    "weerbaar.scoring",
    "weerbaar.plan",
    "weerbaar.dependencies",
    "weerbaar.recommendations",
    "weerbaar.insights",
    "weerbaar.crisis",
    "weerbaar.scenarios",
    "weerbaar.api",
    "weerbaar.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "weerbaar.requests.NoStoreMiddleware",
    "weerbaar.requests.RefuseLargeBodyMiddleware",
    "weerbaar.requests.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weerbaar.language.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "weerbaar.accounts.middleware.RequireMFAMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Static files come from the application itself (no separate web server): in production the
# output of collectstatic (hashed names, compressed, cached for a year); in development and the
# demo straight from the packages.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG and not PRODUCTION

ROOT_URLCONF = "weerbaar.urls"
WSGI_APPLICATION = "weerbaar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "weerbaar.site.navigation.weerbaar",
            ],
            "builtins": ["weerbaar.site.templatetags.formats"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
SQLITE_TIMEOUT = envint("WEERBAAR_SQLITE_TIMEOUT", 60)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=envint("WEERBAAR_CONN_MAX_AGE", 600),
            conn_health_checks=envbool("WEERBAAR_CONN_HEALTH_CHECKS", True),
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's PostgreSQL backend with a health check that needs no round trip.
        DATABASES["default"]["ENGINE"] = "weerbaar.postgresql"
    # Parameters travel apart from the SQL, and a statement run a few times is prepared, so
    # PostgreSQL plans it once per connection instead of on every run (a join takes longer to
    # plan than to run). WEERBAAR_PG_PREPARE=0 for a connection pooler that cannot.
    if DATABASES["default"]["ENGINE"] == "weerbaar.postgresql" and envbool(
        "WEERBAAR_PG_PREPARE", True
    ):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 5)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # Django's SQLite backend, with write transactions queued fairly (weerbaar.sqlite).
            "ENGINE": "weerbaar.sqlite",
            "NAME": str(DATA_DIR / "weerbaar.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait for
                # each other (up to the timeout) instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                # Writers queue for the lock; SQLite does not queue fairly, so under many
                # concurrent writers one may wait long: allow a generous wait.
                "timeout": SQLITE_TIMEOUT,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    f"PRAGMA busy_timeout={SQLITE_TIMEOUT * 1000};"
                ),
            },
            # Tests use a file too (not :memory:), so they run with WAL like production.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
            # Each server thread keeps its connection (opening one costs more than a save).
            "CONN_MAX_AGE": envint("WEERBAAR_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "weerbaar.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "weerbaar.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
# Re-authentication (before changing MFA or the password) by password or the second factor;
# never by a code sent by e-mail, which would make the mailbox enough to change the factors.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("WEERBAAR_MFA_ISSUER", "Weerbaar")
MFA_RECOVERY_CODE_COUNT = 10

# Failed sign-ins lock the account *at the address they came from* (as django-axes advises
# against lock-out attacks: anyone else cannot lock a person out by mistyping their address
# on purpose), after WEERBAAR_LOGIN_FAILURE_LIMIT failures; and an address as a whole after
# WEERBAAR_LOGIN_FAILURE_LIMIT_PER_ADDRESS failures over any accounts (password spraying). The
# latter is high: a whole hospital may share one NAT address (``accounts.lockout``).
LOGIN_FAILURE_LIMIT = envint("WEERBAAR_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = envint("WEERBAAR_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 50)
AXES_FAILURE_LIMIT = "weerbaar.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = envint("WEERBAAR_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
# allauth's own limit on failed sign-ins counts per account name alone (5 in 5 minutes by
# default): anyone could lock anyone out with it. Axes does the per-account limit, per
# address; allauth keeps only a per-address burst limit.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "weerbaar.accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False
AXES_ENABLED = envbool("WEERBAAR_AXES_ENABLED", True)

# API tokens expire: after WEERBAAR_API_TOKEN_DAYS unless asked otherwise, never later than
# WEERBAAR_API_TOKEN_MAX_DAYS; a password change, a deactivated account or leaving an
# organisation revokes them.
API_TOKEN_DAYS = envint("WEERBAAR_API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = envint("WEERBAAR_API_TOKEN_MAX_DAYS", 365)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there too (empty here)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded evidence lives outside any public path and is served by access-checked views.
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"

# --- Background tasks -------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Regional exports over more organisations than this are made in the background (worker).
EXPORT_INLINE_LIMIT = envint("WEERBAAR_EXPORT_INLINE_LIMIT", 300)
# Rounds for more organisations than this are opened in the background (worker).
ROUND_INLINE_LIMIT = envint("WEERBAAR_ROUND_INLINE_LIMIT", 50)

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "WEERBAAR_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("WEERBAAR_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("WEERBAAR_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("WEERBAAR_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("WEERBAAR_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("WEERBAAR_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("WEERBAAR_FROM_EMAIL", "weerbaar@localhost")
# The address people reach Weerbaar at, for links in e-mails sent by the task queue.
WEERBAAR_BASE_URL = env("WEERBAAR_BASE_URL", "http://127.0.0.1:8000")
# How often the regional crisis picture asks the server for its new state (seconds).
WEERBAAR_PICTURE_REFRESH_SECONDS = int(env("WEERBAAR_PICTURE_REFRESH_SECONDS", "30"))

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("WEERBAAR_SESSION_SECONDS", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("WEERBAAR_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("WEERBAAR_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("WEERBAAR_HSTS_PRELOAD", True)
    # Operators who cannot commit their domain to the HSTS preload list switch it off;
    # only then is the preload warning silenced.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- API --------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("WEERBAAR_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
