"""Django settings, read from the environment with safe defaults.

Defaults suit a developer's machine: SQLite under `var/`, debug off unless DEBUG=1.
Production sets DATABASE_URL (PostgreSQL), SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Importing the checks also registers them with Django (the production secret-key check).
from guichet.web.checks import DEVELOPMENT_SECRET_KEY

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GUICHET_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Without SECRET_KEY a development key is used; with DEBUG off the application then refuses to start
# (guichet.web.checks), so a production cannot run with a key that is public in this repository.
SECRET_KEY = os.environ.get("SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guichet.accounts",
    "guichet.territory",
    "guichet.catalogue",
    "guichet.audit",
    "guichet.projects",
    "guichet.offers",
    "guichet.labour",
    "guichet.notifications",
    "django_tasks",
    "django_tasks_db",
    "guichet.jobs",
    "ninja",
    "guichet.api",
    "guichet.portal",
]

MIDDLEWARE = [
    # Outermost: any error under /api/ leaves as a problem (RFC 9457), whoever answered it.
    "guichet.api.middleware.ApiProblemsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "guichet.web.middleware.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "guichet.web.urls"
WSGI_APPLICATION = "guichet.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.web.context.agency_contact",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: plain reads do not wait for a writer (a background import) and a writer does not wait for them.
    # IMMEDIATE transactions take the one write lock at BEGIN (any atomic block, even one that only reads),
    # so two transactions never deadlock on it; the busy timeout makes the second wait for it, up to
    # SQLITE_BUSY_TIMEOUT seconds, before failing with "database is locked". Hence no slow work (parsing a
    # file, talking to a mail server) inside a transaction: see docs/operations.md.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "30")),
        **DATABASES["default"].get("OPTIONS", {}),
    }
# Caches, by what a process may keep to itself (docs/deployment.md, "What a process keeps"):
# - "shared": what every process of every machine must read alike: the sign-in and form rate limits
#   (RATELIMIT_USE_CACHE) and the catalogue's version token. Redis, else a table of the database with
#   atomic increments (guichet.cache), never one process's memory: with three gunicorn workers each
#   counting alone, a username got fifteen guesses a minute instead of five.
# - "default": copies of derived values (pages of search results, charts), each keyed by a version read
#   from shared state, so a copy per process costs memory, never a stale page: Redis when there is one,
#   else each process's memory (reading a page then writes nothing to the database).
# - "renders": documents the background worker renders for the web processes (the investor's dossier):
#   Redis, else files in the private var folder, which the processes of one machine share.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "shared",
    }
    if REDIS_URL
    else {
        "BACKEND": "guichet.cache.SharedDatabaseCache",
        "LOCATION": "guichet_shared_cache",
        # Rate-limit counters live a minute to an hour; expired rows go when the table passes this size.
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
    "renders": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "renders",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "renders"),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Argon2 first (the OWASP recommendation); the others still verify older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Day-month-year and 24-hour times in English too (as in Europe: guichet/web/formats/en), narrow no-break
# spaces between thousands in French (formats/fr); years are written without a thousands separator where
# they are shown (the `unlocalize` filter, the dashboard's "year" columns).
FORMAT_MODULE_PATH = ["guichet.web.formats"]

STATIC_URL = "static/"
# web/ is the project, not an app: its static files (CSS, vendored Leaflet) are listed explicitly.
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Uploaded files are private (guichet/files.py): no URL serves MEDIA_ROOT; views hand each file over after
# the record's permission check, through the reverse proxy when GUICHET_SENDFILE names it.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
GUICHET_SENDFILE = os.environ.get("GUICHET_SENDFILE", "").strip().lower()
if GUICHET_SENDFILE not in ("", "nginx", "apache"):
    raise ImproperlyConfigured("GUICHET_SENDFILE must be empty, 'nginx' or 'apache'")
GUICHET_SENDFILE_PREFIX = os.environ.get("GUICHET_SENDFILE_PREFIX", "/_private_files/")
# The largest proposal attachment or photo accepted (the reverse proxy's body limit must be above it).
GUICHET_MAX_FILE_MB = int(os.environ.get("GUICHET_MAX_FILE_MB", "20"))
STORAGES = {
    "default": {"BACKEND": "guichet.files.PrivateStorage"},
    # Production runs `collectstatic` and sets STATIC_MANIFEST=1 for hashed, compressed, cacheable files.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST")

# Request bodies: form fields beyond 2.5 MB are refused (400); uploaded files above 2.5 MB are streamed to a
# temporary file instead of memory. Each upload field has its own limit (GUICHET_UPLOAD_LIMITS, in MB) and
# refuses a larger file with a message naming both sizes (guichet.uploads); attachments and photos have
# GUICHET_MAX_FILE_MB (guichet.files).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
DATA_UPLOAD_MAX_NUMBER_FILES = 20
GUICHET_UPLOAD_LIMITS = {
    "cnig": int(os.environ.get("GUICHET_UPLOAD_MAX_CNIG_MB", "20")),
    "labour": int(os.environ.get("GUICHET_UPLOAD_MAX_LABOUR_MB", "100")),
    "sirene": int(os.environ.get("GUICHET_UPLOAD_MAX_SIRENE_MB", "3000")),
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds an SMTP connection may block before the delivery fails (and is recorded as failed, to resend).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "guichet@localhost")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every asset is served from the site itself; a background map, when configured, adds its tile host.
GUICHET_TILE_URL = os.environ.get("GUICHET_TILE_URL", "")
_TILE_ORIGIN = "/".join(GUICHET_TILE_URL.split("/")[:3]).replace("{s}.", "*.") if GUICHET_TILE_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in attempts per client address and per username, counted together for the web form and the API
# token endpoint (guichet.accounts.throttle), and project submissions from the portal per client address,
# counted in the "shared" cache so that they hold whichever process or machine answers.
LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10/m")
LOGIN_USERNAME_RATE_LIMIT = os.environ.get("LOGIN_USERNAME_RATE_LIMIT", "5/m")
GUICHET_PORTAL_SUBMIT_RATE = os.environ.get("GUICHET_PORTAL_SUBMIT_RATE", "5/h")
RATELIMIT_VIEW = "guichet.web.views.rate_limited"
RATELIMIT_USE_CACHE = "shared"
# Behind a reverse proxy the client's address is in a header the proxy sets (e.g. HTTP_X_REAL_IP).
if os.environ.get("RATELIMIT_IP_META_KEY"):
    RATELIMIT_IP_META_KEY = os.environ["RATELIMIT_IP_META_KEY"]

# Background jobs (imports that take seconds): Django's tasks framework (the django-tasks backport) with
# its database-backed queue, on SQLite or PostgreSQL alike; `guichet manage db_worker` runs them (`make
# demo` starts one). GUICHET_TASKS_BACKEND=immediate runs each job inside the request that asks for it,
# for a machine without a worker. A Redis queue can replace the database one by changing TASKS alone.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {"BACKEND": _TASK_BACKENDS[os.environ.get("GUICHET_TASKS_BACKEND", "database")]},
}
# Input files of queued jobs: private (mode 0700), outside MEDIA_ROOT, removed when the job ends.
GUICHET_JOB_DIR = Path(os.environ.get("GUICHET_JOB_DIR", VAR_DIR / "jobs"))

# The agency that runs this one-stop shop: named with its contact on every page's footer, on the error
# pages and on the investor's dossier (its cover and each page's footer). The e-mail address is also where
# the portal's contact button, new portal leads and authorities' questions are sent.
GUICHET_AGENCY_EMAIL = os.environ.get("GUICHET_AGENCY_EMAIL", "")
GUICHET_AGENCY_NAME = os.environ.get("GUICHET_AGENCY_NAME", "")
GUICHET_AGENCY_PHONE = os.environ.get("GUICHET_AGENCY_PHONE", "")
GUICHET_AGENCY_ADDRESS = os.environ.get("GUICHET_AGENCY_ADDRESS", "")
# The site's own address (scheme, host and any port or path prefix, e.g. https://guichet.example.org): the
# links in e-mails point there. Empty: the address `make demo` serves, http://127.0.0.1:8000, which
# `check --deploy` reports (guichet.W001), since a production's e-mails would link to nowhere.
GUICHET_SITE_URL = os.environ.get("GUICHET_SITE_URL", "").strip()
# A form refused by the CSRF check gets the site's page, in the reader's language, with that contact.
CSRF_FAILURE_VIEW = "guichet.web.views.csrf_failure"
GUICHET_TILE_ATTRIBUTION = os.environ.get("GUICHET_TILE_ATTRIBUTION", "")

# The private data folder: the development signing key, restores in progress (each in its own 0700
# folder, removed at the next start if a restore was killed).
GUICHET_VAR_DIR = VAR_DIR
# The Ed25519 key that signs the audit chain's head and the backups (guichet.audit.signing, docs/audit.md):
# the PEM text or base64 seed in GUICHET_SIGNING_KEY, or a file (mode 0600) in GUICHET_SIGNING_KEY_FILE.
# Never in the database. Without either, a development key in var/; a production refuses to start.
GUICHET_SIGNING_KEY = os.environ.get("GUICHET_SIGNING_KEY", "")
GUICHET_SIGNING_KEY_FILE = os.environ.get("GUICHET_SIGNING_KEY_FILE", "")
# Public keys (PEM files) of earlier signing keys, whose signed heads and backups still verify.
GUICHET_TRUSTED_PUBLIC_KEYS = env_list("GUICHET_TRUSTED_PUBLIC_KEYS")

# The directory of a built territory dataset; empty means the bundled Franche-Comté files.
GUICHET_DATA_DIR = os.environ.get("GUICHET_DATA_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
