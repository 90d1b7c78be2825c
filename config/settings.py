"""Settings for the ISCG conventions project.

Everything that varies between machines comes from the environment, read once
through ``env`` below (see ``.env.example`` and the README for every variable).
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.observability import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production, set the SECRET_KEY environment variable "
            "to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'); "
            "for local development, use DEBUG=true (make run does)."
        )
    # Reached only with DEBUG=true: without it, start-up stops just above.
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's widget templates, found by the form renderer below through APP_DIRS.
    "django.forms",
    "axes",
    "simple_history",
    "partners",
    "conventions",
    "activity",
    "config.steering",
    "config.api",
    "config.jobs",
    "config.notifications",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
]
# Demo data, national dataset, benchmark, load-test helpers: never in production.
DEVTOOLS = env.bool("DEVTOOLS", default=False)
if DEVTOOLS:
    INSTALLED_APPS.append("config.devtools")

MIDDLEWARE = [
    # First: every request gets its id and its access-log line, redirects included.
    "config.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Cache-Control: no-store on what a logged-in user sees and on every file; Permissions-Policy.
    "config.middleware.PrivateResponsesMiddleware",
    # A file store (S3) that does not answer: the French 503 page, not a 500.
    "config.middleware.StorageUnavailableMiddleware",
    # Records who made each change in the models' history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the French page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.navigation",
                "config.context_processors.service",
            ],
            "libraries": {"dsfr": "config.core.templatetags.dsfr"},
            "builtins": [
                "config.core.templatetags.french",
                "config.core.templatetags.once",
                "config.core.templatetags.lists",
            ],
        },
    },
]

# Every form in the State design system's markup (templates/includes/field.html).
FORM_RENDERER = "config.core.form_renderer.DsfrFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # libpq waits for an unreachable server as long as the system lets it: a worker (and
    # /healthz) gives up after this many seconds instead; ?connect_timeout= in the URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost passes
    # jit_above_cost: on the national dataset it spent 40 to 60 ms compiling each of the
    # dashboards' two main queries, which then ran in 1 to 5 ms (EXPLAIN ANALYZE). The
    # application's queries are short: JIT is off for its sessions (README « Configuration »).
    _options = DATABASES["default"]["OPTIONS"]
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
    # A worker keeps its connection from one request to the next (one per gunicorn worker
    # or Celery process) instead of opening one for each request: 2 ms of the worker's CPU
    # and 10 ms of waiting saved on every page. Checked before reuse, so that a restarted
    # server costs no request an error; ?conn_max_age= in the URL wins.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partners.User"
# Where config.core.idempotency keeps the forms already carried out.
SUBMISSION_MODEL = "partners.Submission"
# purge_submissions deletes the forms carried out longer ago than this: a form
# displayed that long ago and sent only now is a new action.
SUBMISSION_RETENTION_DAYS = env.int("SUBMISSION_RETENTION_DAYS", default=30)
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it sees every attempt, the password's and ProConnect's.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Answers only ProConnect's callback, and only when the three settings below are set.
    "partners.proconnect.ProConnectBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# ProConnect, the State's OpenID Connect federation for public agents (partners.proconnect,
# README « ProConnect »): off unless the issuer, the client id and the secret are all set.
# The endpoints are read from ISSUER/.well-known/openid-configuration.
PROCONNECT_ISSUER = env.str("PROCONNECT_ISSUER", default="")
PROCONNECT_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET", default="")
PROCONNECT_SCOPES = env.str("PROCONNECT_SCOPES", default="openid email given_name usual_name")
PROCONNECT_SIGN_ALGO = env.str("PROCONNECT_SIGN_ALGO", default="RS256")
# Seconds allowed to each call to the provider (discovery, token, keys, userinfo).
PROCONNECT_TIMEOUT = env.int("PROCONNECT_TIMEOUT", default=10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
# Before every app's catalog: keeps Django's French where REST framework words it
# otherwise (config/locale/fr/LC_MESSAGES/django.po says which).
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files are never served at MEDIA_URL (no URL pattern routes it):
# views check access first. The prefix only has to exist for Django's tooling.
MEDIA_URL = "/fichiers-non-publics/"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files go to an S3-compatible bucket when the environment names one (README
# « Pièces déposées dans un stockage objet »): several servers then share them, and the
# provider keeps them apart from the machine. Without a bucket (make run, make test) they
# stay under MEDIA_ROOT. Either way no file has a public address: the views check who
# asks, then stream it.
S3_BUCKET_NAME = env.str("S3_BUCKET_NAME", default="")
if S3_BUCKET_NAME:
    # Imported only here: botocore takes a quarter of a second to load, for nothing when
    # the files stay on the disk.
    from botocore.config import Config

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET_NAME,
            # Unset on AWS; the provider's address otherwise (OVH, Scaleway, MinIO).
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "region_name": env.str("S3_REGION", default=None),
            # Unset: boto3 looks for them where AWS puts them (its variables, a role).
            "access_key": env.str("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=None),
            # One bucket may hold several copies of the service (production, staging).
            "location": env.str("S3_PREFIX", default="").strip("/"),
            # A name already taken gets a suffix: an upload never replaces another
            # (every version of a signed convention is evidence).
            "file_overwrite": False,
            # No ACL sent: the objects are as private as the bucket, which must not be
            # public (buckets that refuse ACLs, as AWS's now do by default, accept this).
            "default_acl": None,
            # Nothing links a file by its address; were something to, the signed link
            # would expire within a minute.
            "querystring_auth": True,
            "querystring_expire": 60,
            "client_config": Config(
                # MinIO and some providers want the bucket in the path, not the host name.
                s3={"addressing_style": env.str("S3_ADDRESSING_STYLE", default=None)},
                # boto3 1.36 and later add checksums that several S3-compatible providers
                # refuse; each document's SHA-256 is recorded at upload and checked by the
                # dossier's manifest anyway.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        },
    }
# Every uploaded document is a PDF of at most 10 MB: past that, nothing more of the
# file is kept while it arrives (config.core.uploads), and the field says so.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "config.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="conventions-iscg@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# A forgotten-password link works once, for one day (Django's default is three).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Who runs this copy of the service (header, footer, legal notice, personal data).
# A State service by default: the pages show the State's identity block (Marianne,
# « République française »). An operator that is not a State service (a local
# authority hosting its own copy) sets STATE_OPERATOR=false: the design system's
# components stay, the identity block goes (its terms reserve it to the State).
STATE_OPERATOR = env.bool("STATE_OPERATOR", default=True)
OPERATOR_NAME = env.str(
    "OPERATOR_NAME",
    default="Secrétariat général du Comité interministériel de la prévention de la "
    "délinquance et de la radicalisation (SG-CIPDR)",
)
OPERATOR_ADDRESS = env.str("OPERATOR_ADDRESS", default="")
PUBLICATION_DIRECTOR = env.str("PUBLICATION_DIRECTOR", default="")
HOSTING_PROVIDER = env.str("HOSTING_PROVIDER", default="")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)
DPO_EMAIL = env.str("DPO_EMAIL", default=CONTACT_EMAIL)

# The cache (the steering reports, the API's rate limits): each process's memory by
# default; with several servers, one shared by all (CACHE_URL=redis://127.0.0.1:6379/1),
# so that a report computed once, or a key's count of calls, holds on every server.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Background jobs (config/celery.py, README « Tâches de fond »). With no broker, every
# task runs inline in the process that asks for it (make run, make test: nothing to
# start); with CELERY_BROKER_URL (Redis in production), workers run them and Celery
# beat schedules the periodic ones.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Nothing reads a task's return value: no result backend. A task is acknowledged once done
# and handed to another worker when its own dies; Redis hands back an unacknowledged task
# after the visibility timeout, longer than the longest task (a national export).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A task that failed in passing is tried again after this many seconds, then twice, four
# times as long… up to an hour between two attempts (config.jobs.tasks.Job).
JOBS_RETRY_BACKOFF_SECONDS = 30
# A worker's lines go through the LOGGING below (JSON in production), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    # The deadline reminders of the day (conventions.calendar.reminders).
    "rappels-d-echeance": {
        "task": "conventions.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Webhook deliveries whose next attempt has come (config.api.webhooks).
    "webhooks-a-renvoyer": {"task": "api.deliver_due_webhooks", "schedule": 60.0},
    # The current year's steering reports, computed again before the cached ones expire
    # (config.steering.report): useful with a shared cache (CACHE_URL).
    "pilotage-a-jour": {"task": "steering.refresh_reports", "schedule": 5 * 60.0},
    # Each user's notifications of the kinds they read weekly (config.notifications).
    "resume-hebdomadaire": {
        "task": "notifications.send_weekly_digests",
        "schedule": crontab(day_of_week="monday", hour=8, minute=0),
    },
    # E-mails whose task never ran, the broker being down when their change committed.
    "courriels-en-attente": {"task": "jobs.send_waiting_emails", "schedule": 5 * 60.0},
    # The imports and exports of more than a week ago, and their files (config.jobs.runs).
    "traitements-anciens": {
        "task": "jobs.forget_old_runs",
        "schedule": crontab(hour=3, minute=30),
    },
}

# send_reminders writes this many days before each kind of deadline, then
# once more on the day after it is missed.
REMINDER_DAYS_BEFORE = {
    "expiry": 90,
    "notice": 30,
    "renewal": 45,
    "report": 10,
    "review": 21,
    "payment": 15,
}

# Security: secure by default outside development; each can be relaxed by env.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# The expired-form page in the site's layout (Django's renders it without the request).
CSRF_FAILURE_VIEW = "config.legal.csrf_failure"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer probes each server over plain HTTP (README « Santé, journaux et
# erreurs »); /healthz carries nothing private.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies whose X-Forwarded-For is believed (config.core.network): the
# proxy of the README runs on the same machine.
TRUSTED_PROXIES = env.list(
    "TRUSTED_PROXIES", default=["127.0.0.1", "::1"] if BEHIND_TLS_PROXY else []
)
# No camera, microphone, location, payment or USB for any page of the product.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)

# The REST API (config.api): personal keys only, JSON only (no browsable pages), pages of
# 100 results, French errors, limits per key (calls a minute; README « API »).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["config.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api.throttling.ReadRateThrottle",
        "config.api.throttling.WriteRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "lecture": env.str("API_READ_RATE", default="120/min"),
        "ecriture": env.str("API_WRITE_RATE", default="30/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exceptions.api_exception_handler",
    # OPTIONS describes nothing (405): the OpenAPI description does.
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Webhooks (config.api.webhooks): the first attempt right after the change, a task (the
# retries are Celery beat's, or the deliver_webhooks command's); private or plain-HTTP
# receivers only in development.
WEBHOOKS_DELIVER_AT_ONCE = env.bool("WEBHOOKS_DELIVER_AT_ONCE", default=True)
WEBHOOKS_ALLOW_PRIVATE_NETWORK = env.bool("WEBHOOKS_ALLOW_PRIVATE_NETWORK", default=DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "API des conventions ISCG",
    "DESCRIPTION": "Conventions, postes, financements et statistiques d'activité des "
    "intervenants sociaux en commissariat et gendarmerie, pour les outils des partenaires. "
    "Chaque appel porte une clé personnelle et voit exactement ce que son titulaire voit "
    "sur les pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.common.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TypeOrganisationEnum": "partners.enums.OrganisationKind",
        "TypeSiteEnum": "conventions.enums.SiteKind",
        "TypeConventionEnum": "conventions.enums.ConventionKind",
        "TypeEcheanceEnum": "config.api.conventions.DEADLINE_KINDS",
        "EtatVersementEnum": "conventions.enums.PaymentState",
        "EtatTrimestreEnum": "activity.enums.QuarterState",
    },
}

# Login throttling: after 5 failures for one account from one address, that
# pair is locked for 30 minutes (the French page says so and whom to call). The
# address is the person's, behind the proxy too (config.core.network): a stranger
# cannot lock a user out from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.core.network.client_address"
# ProConnect's return is neither counted nor blocked: ProConnect checked the password.
AXES_WHITELIST_CALLABLE = "partners.proconnect.is_proconnect_return"

# No inline script anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Logs (config.observability, README « Santé, journaux et erreurs ») on the standard
# error: one JSON object a line in production, for the log collector; text in
# development. Every line carries the request id; iscg.requests writes one per request.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.observability.json_formatter"},
        "text": {
            "format": "{asctime} {levelname} {name} [{request_id}] {message}",
            "style": "{",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint tells each step of every render at INFO: noise in the logs.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Error tracking (README « Santé, journaux et erreurs ») with Sentry, or a service that
# speaks its protocol, when SENTRY_DSN is set; without it the SDK is not even started.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
sentry_init(
    dsn=SENTRY_DSN,
    environment=env.str("SENTRY_ENVIRONMENT", default="production"),
    release=env.str("SENTRY_RELEASE", default=""),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)
