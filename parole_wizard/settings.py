"""Settings for Parole Wizard, read only from environment variables (see README for the full list).

Local defaults are safe for development; with DEBUG off the app refuses to start without a real SECRET_KEY and
ALLOWED_HOSTS.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_INSECURE_KEY = "django-insecure-local-development-only"  # noqa: S105 - refused below when DEBUG is off


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if not DEBUG:
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names) when DEBUG is off.")

# Encryption at rest (packets.crypto): Fernet keys, newest first; every key decrypts, the first encrypts. Without any,
# development derives one from SECRET_KEY (never in production: a leaked SECRET_KEY must not also unlock the data).
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS", "")
if not ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set ENCRYPTION_KEYS (comma-separated Fernet keys, newest first) when DEBUG is off; make one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
        )
    _dev_key = hashlib.sha256(b"parole-wizard development encryption key\0" + SECRET_KEY.encode()).digest()
    ENCRYPTION_KEYS = [base64.urlsafe_b64encode(_dev_key).decode("ascii")]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, found through TEMPLATES by the form renderer
    "formtools",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "packets",
    "parole_wizard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "parole_wizard.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "packets.audit.records.AuditMiddleware",
    "parole_wizard.sessions.SessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "parole_wizard.counsel_mfa.CounselMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "parole_wizard.middleware.NoStoreForSignedInMiddleware",
    # AxesMiddleware should be the last middleware in the list.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parole_wizard.urls"
WSGI_APPLICATION = "parole_wizard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Site-wide templates, then each capability's own (packets/<capability>/templates).
        "DIRS": [BASE_DIR / "templates", *sorted((BASE_DIR / "packets").glob("*/templates"))],
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
# Every field laid out by templates/forms/field.html, through Django's form rendering (parole_wizard.renderers).
FORM_RENDERER = "parole_wizard.renderers.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process use the file at the same time; the busy timeout makes a writer
    # wait for the other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",  # log in by username or by email address
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Accounts (django-allauth): sign-up, log in by username or email, password reset, email confirmation. Confirming
# is optional for using the app and required to accept an invitation or get notifications (packets.sharing.addresses).
ACCOUNT_ADAPTER = "parole_wizard.account_adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True  # no "remember me" box: the session timeouts below decide
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset for an address nobody uses sends nothing
ACCOUNT_FORMS = {
    "login": "parole_wizard.account_forms.PlainLoginForm",
    "signup": "parole_wizard.account_forms.PlainSignupForm",
    "change_password": "parole_wizard.sessions.SessionsPasswordChangeForm",
}
# Failed logins are django-axes' (below); allauth's own limit per username would let a stranger lock anyone out.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Parole Wizard"
MFA_ADAPTER = "parole_wizard.account_adapter.MFAAdapter"
# COUNSEL_REQUIRE_MFA=true: counsel on any packet must set up an authenticator app before opening packets.
COUNSEL_REQUIRE_MFA = env_bool("COUNSEL_REQUIRE_MFA", False)

# Repeated failed logins (django-axes): a username is locked after AXES_FAILURE_LIMIT failures from one client
# address, for AXES_COOLOFF_MINUTES. Username and address together, so a stranger elsewhere cannot lock someone out.
# The client address is the connection's, or with TRUSTED_PROXY_COUNT proxies in front (docs/production.md), the one
# the outermost of them put in X-Forwarded-For (parole_wizard.client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or the number of proxies in front of the app")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "parole_wizard.client_address.client_address"
AXES_USERNAME_CALLABLE = "parole_wizard.client_address.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions (parole_wizard.sessions): logged out after SESSION_IDLE_SECONDS without a request, and
# SESSION_ABSOLUTE_SECONDS after login whatever happens; the cookie lives no longer than the absolute limit.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", SESSION_ABSOLUTE_SECONDS)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Session rows encrypted like the rest (they hold unsaved step input): packets.session_store.
SESSION_ENGINE = "packets.session_store"
CSRF_COOKIE_HTTPONLY = True

# Security headers in every mode (parole_wizard.security adds the Content Security Policy and Permissions-Policy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"  # uploads are served only through permission-checked views

STORAGES = {
    # Encrypted files under MEDIA_ROOT (packets.crypto). Another backend (e.g. S3 via django-storages) reads its own
    # settings and does not encrypt: use the provider's encryption at rest then.
    "default": {"BACKEND": env_str("FILE_STORAGE_BACKEND", "packets.crypto.EncryptedFileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: one exhibit at most 25 MB, one packet at most 250 MB (see packets.evidence.uploads).
EXHIBIT_MAX_BYTES = env_int("EXHIBIT_MAX_BYTES", 25 * 1024 * 1024)
PACKET_MAX_BYTES = env_int("PACKET_MAX_BYTES", 250 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every uploaded file is parsed in a separate process with these limits (see packets.evidence.sandbox).
INSPECT_CPU_SECONDS = env_int("INSPECT_CPU_SECONDS", 30)
INSPECT_MEMORY_MB = env_int("INSPECT_MEMORY_MB", 512)
INSPECT_WALL_SECONDS = env_int("INSPECT_WALL_SECONDS", 60)
# Reading a PDF's text layer gets at most this much of that CPU time (and at most a quarter of it); past it the text
# is stored as unreadable and the file is still accepted.
INSPECT_TEXT_CPU_SECONDS = env_int("INSPECT_TEXT_CPU_SECONDS", 5)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Parole Wizard <no-reply@localhost>")

# Links in emails (packets.links.absolute_url): the site's address as people reach it, without a trailing slash. An
# email has no request to take the host from, so production refuses to start without it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not DEBUG and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("Set SITE_URL (for example https://parole.example.org) when DEBUG is off.")

# A started render not heard from for this long lost its worker and is shown as failed (packets.rendering.versions).
RENDER_STALE_MINUTES = env_int("RENDER_STALE_MINUTES", 15)
# Reminder emails of the case's deadlines (manage.py send_reminders, hourly from cron or a timer): sent this many days
# before each deadline; 0 is the day itself.
CASE_REMINDER_DAYS = sorted({int(days) for days in env_list("CASE_REMINDER_DAYS", "14,7,1,0")}, reverse=True)
# Processes that lay out the parts of a packet side by side (packets.assembly.layout); 0 lays them out one after
# another in the render's own process. Each holds WeasyPrint and its fonts (about 100 MB).
RENDER_LAYOUT_WORKERS = env_int("RENDER_LAYOUT_WORKERS", 2)

TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Production hardening: on whenever DEBUG is off (README explains the proxy settings).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
