"""Settings shared by every environment; values come from the environment where they differ."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ACCORD_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once per install into var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "django_countries",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accord.core",
    "accord.users",
    "accord.parties",
    "accord.interactions",
    "accord.commerce",
    "accord.pipeline",
    "accord.procurement",
    "accord.contracts",
    "accord.community",
    "accord.servicedesk",
    "accord.portal",
    "django_tasks",
    "django_tasks_db",
    "accord.dataio.imports",
    "accord.dataio.mail",
    "accord.dataio.exports",
    "accord.dataio.webhooks",
    "accord.dataio.calendars",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accord.core.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "accord" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accord.core.context_processors.navigation",
                "accord.portal.context_processors.portal",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'accord.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
        ),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ALLOW_REGISTRATION = env_bool("ACCORD_ALLOW_SIGNUP", False)
ACCOUNT_ADAPTER = "accord.users.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "today"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "accord@localhost")

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "accord" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"

# --- static -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "accord" / "static"]
STATIC_ROOT = VAR_DIR / "static"
# Uploads, import sources, export results, mail attachments; downloads go through views that
# check access, never straight from MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("ACCORD_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accord.core.permissions.VisibilityPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "accord.core.pagination.CappedCountPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Accord API",
    "DESCRIPTION": "Relationship management: organizations, people, positions, relationships, interactions, follow-ups.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # choice sets that share a field name get names of their own
    "ENUM_NAME_OVERRIDES": {
        "PeriodKindEnum": "accord.pipeline.choices.PeriodKind",  # budgets use the same set
        "InteractionKindEnum": "accord.interactions.choices.InteractionKind",
        "ScorePeriodEnum": "accord.procurement.models.scorecards.ScorePeriod",
        "StandingActionEnum": "accord.procurement.models.scorecards.StandingAction",
    },
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Accord's own knobs
# Where Accord is reached from outside: links in mails (notifications, the client portal's case
# updates) start with it.
ACCORD_BASE_URL = os.environ.get("ACCORD_BASE_URL", "http://127.0.0.1:8000")
ACCORD_LIST_COUNT_CAP = 1000  # lists count at most this many rows, then say "more than …"
ACCORD_QUIET_DAYS = 60  # an owned organization without interaction this long shows on Today

# commerce: our company as printed on quotes and invoices (override in production settings)
ACCORD_COMPANY = {
    "name": os.environ.get("ACCORD_COMPANY_NAME", "Accord Demo GmbH"),
    "street": os.environ.get("ACCORD_COMPANY_STREET", "Hauptstraße 1"),
    "postal_code": os.environ.get("ACCORD_COMPANY_POSTAL_CODE", "10115"),
    "city": os.environ.get("ACCORD_COMPANY_CITY", "Berlin"),
    "country": os.environ.get("ACCORD_COMPANY_COUNTRY", "Deutschland"),
    "vat_id": os.environ.get("ACCORD_COMPANY_VAT_ID", "DE123456789"),
    "email": os.environ.get("ACCORD_COMPANY_EMAIL", "rechnung@example.com"),
    "phone": os.environ.get("ACCORD_COMPANY_PHONE", "+49 30 1234567"),
    "iban": os.environ.get("ACCORD_COMPANY_IBAN", "DE02 1001 0010 0006 8201 01"),
    "bic": os.environ.get("ACCORD_COMPANY_BIC", "PBNKDEFF"),
    "bank": os.environ.get("ACCORD_COMPANY_BANK", "Postbank"),
    "register": os.environ.get("ACCORD_COMPANY_REGISTER", "Amtsgericht Berlin HRB 12345"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background jobs: Django's Tasks API with the database backend (SQLite locally, PostgreSQL with
# SKIP LOCKED in production). `accord worker` runs a worker; `make demo` starts one.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ACCORD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "mail", "webhooks"],
    }
}
# How many heavy jobs (imports, exports, syncs) one user may have queued or running at once.
ACCORD_MAX_ACTIVE_JOBS_PER_USER = int(os.environ.get("ACCORD_MAX_ACTIVE_JOBS_PER_USER", "3"))
# Uploads larger than this are refused before they are read (bytes).
ACCORD_MAX_UPLOAD_BYTES = int(os.environ.get("ACCORD_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Key for encrypting stored secrets (IMAP passwords); derived from SECRET_KEY when empty. Set it
# separately in production so rotating SECRET_KEY (with SECRET_KEY_FALLBACKS) keeps them readable.
ACCORD_FIELD_KEY = os.environ.get("ACCORD_FIELD_KEY", "")
# Webhook targets on private or loopback addresses are refused unless their host is listed here.
ACCORD_WEBHOOK_ALLOWED_HOSTS = [
    h for h in os.environ.get("ACCORD_WEBHOOK_ALLOWED_HOSTS", "").split(",") if h
]
