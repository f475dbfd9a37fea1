"""Django settings for Ankomst.

Everything that differs between machines comes from the environment, under the
``ANKOMST_`` prefix (plus the conventional ``DATABASE_URL``). Values that are
malformed fail loudly at start-up instead of silently falling back.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ANKOMST_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; anything but true/false (any case) is a configuration error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    """Read a whole number within ``minimum``–``maximum``; anything else is a configuration error."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if not minimum <= number <= maximum:
        raise ImproperlyConfigured(f"{name} must lie between {minimum} and {maximum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("ANKOMST_DEBUG", False)
TESTING = env_bool("ANKOMST_TESTING", False)

SECRET_KEY = os.environ.get("ANKOMST_SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("ANKOMST_SECRET_KEY_FILE"):
    SECRET_KEY = Path(os.environ["ANKOMST_SECRET_KEY_FILE"]).read_text().strip()
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production"
    else:
        raise ImproperlyConfigured(
            "Set ANKOMST_SECRET_KEY or ANKOMST_SECRET_KEY_FILE (only debug and tests run without)."
        )

ALLOWED_HOSTS = env_list("ANKOMST_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ANKOMST_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_countries",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ankomst.accounts",
    "ankomst.security",
    "ankomst.audit",
    "ankomst.people",
    "ankomst.activities",
    "ankomst.casework",
    "ankomst.centres",
    "ankomst.demo",
    "ankomst.allowances",
    "ankomst.reception",
    "ankomst.community",
    "ankomst.housing",
    "ankomst.distribution",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The configured language unless the user chose one; never the browser's Accept-Language.
    "ankomst.security.middleware.ConfiguredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, so that a timed-out user is told why they must sign in again.
    "ankomst.security.middleware.SessionTimeoutMiddleware",
    "ankomst.security.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ankomst.security.middleware.TwoFactorMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ankomst.urls"
WSGI_APPLICATION = "ankomst.wsgi.application"
ASGI_APPLICATION = "ankomst.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ankomst.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ankomst.sqlite3'}",
        conn_max_age=int(os.environ.get("ANKOMST_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Wait for a writer instead of failing at once; IMMEDIATE transactions take
    # the write lock at BEGIN so that check-then-insert sequences are serialised.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Tests run on a database in memory, one per test process (Django's default for SQLite,
    # said outright because the engine below is ours and test runners look at its name).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")

# Django's backends with one addition: a refusal written in a transaction that rolls back is
# written again after the rollback (``ankomst.audit.durable``).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.sqlite3": "ankomst.audit.backends.sqlite3",
    "django.db.backends.postgresql": "ankomst.audit.backends.postgresql",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out: five wrong passwords for one username lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("ANKOMST_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ANKOMST_LOCKOUT_HOURS", "1"))
# Also per source address, so that trying one password on many accounts (spraying) is
# stopped too; with a far higher limit, as a whole centre shares one public address and a
# few colleagues' typing errors must not lock everyone out (see ankomst.security.lockout).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "ankomst.security.lockout.AccountAndAddressHandler"
LOCKOUT_ADDRESS_FAILURES = env_int(
    "ANKOMST_LOCKOUT_ADDRESS_FAILURES", 50, minimum=AXES_FAILURE_LIMIT, maximum=100_000
)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Cookies are Secure unless explicitly switched off for a plain-http local demo.
SECURE_COOKIES = env_bool("ANKOMST_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day: the absolute limit of a session
# A session unused for this long ends (a screen left open in a shared office).
IDLE_TIMEOUT = 60 * env_int("ANKOMST_IDLE_TIMEOUT_MINUTES", 30, minimum=1, maximum=8 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No script but our own files: no inline scripts, no event-handler attributes, no eval.
# Styles likewise come from our files; only style attributes (a bar's width as a CSS
# variable) are allowed inline, which cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The browser features a page may use: none of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Two-factor authentication (TOTP, with recovery codes). Administrators and the roles that
# read Art. 9 data must use it when this is on; for everyone else it is optional.
# Off in debug and tests; `make run` switches it off for the demo users.
REQUIRE_2FA = env_bool("ANKOMST_REQUIRE_2FA", not (DEBUG or TESTING))
OTP_TOTP_ISSUER = "Ankomst"
OTP_TOTP_THROTTLE_FACTOR = 1

if env_bool("ANKOMST_HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = os.environ.get("ANKOMST_LANGUAGE", "da")
FORMAT_MODULE_PATH = ["ankomst.formats"]
LANGUAGES = [
    ("da", _("Danish")),
    ("en", _("English")),
    ("sv", _("Swedish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("ANKOMST_TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Leaflet's files from their package (XStatic), served as static/leaflet/...: no CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
STATIC_ROOT = Path(os.environ.get("ANKOMST_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Refused requests (403, 400) are one log line each, without a traceback.
    "filters": {"one_line_for_client_errors": {"()": "ankomst.log_filters.OneLineForClientErrors"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_for_client_errors"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("ANKOMST_LOG_LEVEL", "WARNING")},
}

# Page sizes
PAGE_SIZE = 25

# E-mail to volunteers and coordinators. The console (standard output) unless an SMTP server
# is configured: ANKOMST_EMAIL_HOST (and _PORT, _USER, _PASSWORD; STARTTLS on).
EMAIL_HOST = os.environ.get("ANKOMST_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("ANKOMST_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("ANKOMST_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ANKOMST_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = bool(EMAIL_HOST)
DEFAULT_FROM_EMAIL = os.environ.get("ANKOMST_EMAIL_FROM", "ankomst@localhost")

# Background work (placement runs): Django's tasks API, by default with the database backend,
# so that a worker needs no server besides the database. Workers are ``ankomst worker``
# processes, as many as wanted on as many machines. ANKOMST_TASKS_BACKEND names another
# backend (an RQ backend for Redis, say) installed beside.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ANKOMST_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A running placement whose worker has not been heard of for this many seconds is taken to
# have died: it is queued again once, then marked failed.
PLACEMENT_STALE_SECONDS = int(os.environ.get("ANKOMST_PLACEMENT_STALE_SECONDS", "60"))
PLACEMENT_ATTEMPTS = 2
# The map: polygons alone by default; a tile server only where configured, e.g.
# ANKOMST_MAP_TILES=https://tile.example.org/{z}/{x}/{y}.png (and its attribution).
MAP_TILES = os.environ.get("ANKOMST_MAP_TILES", "")
MAP_ATTRIBUTION = os.environ.get("ANKOMST_MAP_ATTRIBUTION", "")
if MAP_TILES:
    _tiles = urlsplit(MAP_TILES)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
