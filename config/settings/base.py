"""Settings shared by every profile; each value that differs between machines comes from the environment."""

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("CENTREVILLE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def dev_secret_key() -> str:
    """A secret made once per checkout, kept under var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or dev_secret_key()
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "phonenumber_field",
    "ninja",  # its Swagger UI files, served from our own host
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "centreville.core",
    "centreville.accounts",
    "centreville.towns",
    "centreville.shops",
    "centreville.catalogue",
    "centreville.premises",
    "centreville.activity",
    "centreville.footfall",
    "centreville.parking",
    "centreville.agenda",
    "centreville.enterprises",
    "centreville.lots",
    "centreville.wholesale",
    "centreville.invoicing",
    "centreville.vouchers",
    "centreville.search",
    "centreville.showcase",
    "centreville.merchants",
    "centreville.signage",
    "centreville.observatory",
    "centreville.support",
    "centreville.news",
    "centreville.opendata",
    "centreville.fulfilment",
    "centreville.orders",
    "centreville.baskets",
    "centreville.payments",
    "centreville.notifications",
    "centreville.api",
    "centreville.demo",
]

MIDDLEWARE = [
    # First: times and logs the whole answer, gives it its request id, counts it in the metrics.
    "centreville.core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: its size, and no NUL character in the address or a form.
    "centreville.core.request_guard.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed for browsers that accept it (static files come precompressed from WhiteNoise above).
    # Django pads each response with random bytes against BREACH; every form's CSRF token is masked too.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "centreville.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in person in the audit trail of each change (centreville.core.audit).
    "centreville.core.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "centreville" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "centreville.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'centreville.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE avoids "database is locked" on upgrade to write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Shared by every app server: the page cache and its towns' versions, rate limits, the scheduler's
    # rounds, and sessions (read from Redis, kept in the database too so that a restart of Redis signs
    # nobody out and loses no basket).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "centreville",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # A file cache is shared by every server worker, which login rate limiting needs.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"

# The number of reverse proxies of ours in front of the server: the client's address is then read from
# X-Forwarded-For, that many entries from the right (0: the socket's address). Every limit per address
# uses it (centreville.core.clientip), django-allauth's included.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# The audit trail of settings, fulfilment rules and prices (centreville.core.audit) says who changed what
# and when; it keeps no address of the request (X-Forwarded-For would be trusted blindly there).
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_STORE_JSON_CHANGES = True  # values keep their type (a yes/no, a number), to be written in words

# Personal API tokens (merchants' apps) stop working this many days after they are made.
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=90)

# How long personal data is kept: the scheduler (and `manage.py personal_data_purge`) erases what is older,
# and the privacy page states these periods. Expired sign-in sessions and API tokens go once expired.
# Customers' names and contacts on an order (the order, its articles and amounts stay), from its end.
PERSONAL_DATA_RETENTION_MONTHS = env.int("PERSONAL_DATA_RETENTION_MONTHS", default=12)
# A basket nobody has touched for this long is abandoned: it is deleted.
ABANDONED_BASKET_RETENTION_DAYS = env.int("ABANDONED_BASKET_RETENTION_DAYS", default=30)
# Messages sent about orders (to whom, what they said), once their order has ended.
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=90)
# What the payment provider told us about each payment (it may name the payer and their e-mail).
PAYMENT_EVENT_RETENTION_DAYS = env.int("PAYMENT_EVENT_RETENTION_DAYS", default=90)

# django-allauth: e-mail only, confirmed before the first login, failed logins rate limited.
ACCOUNT_ADAPTER = "centreville.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "centreville.accounts.forms.LoginForm",
    "signup": "centreville.accounts.forms.SignupForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Centre-Ville en ligne] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "centreville" / "locale"]
# English dates read day first ("5 Dec 2026"), for people used to French documents.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "centreville" / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise like the static files.
WHITENOISE_ROOT = BASE_DIR / "centreville" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
# Uploads (photos, logos) go to MEDIA_ROOT, or, when MEDIA_S3_BUCKET is named, to an S3-compatible object
# store (django-storages) that every app server reaches: several servers cannot share a local directory.
# The bucket must let anyone read its objects (they are the public photos), or MEDIA_S3_PUBLIC_URL names the
# address that serves them (a CDN, a proxy); MEDIA_S3_ENDPOINT_URL names a store other than Amazon's.
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
MEDIA_S3_ENDPOINT_URL = env.str("MEDIA_S3_ENDPOINT_URL", default="")
MEDIA_S3_PUBLIC_URL = env.str("MEDIA_S3_PUBLIC_URL", default="")
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": MEDIA_S3_ENDPOINT_URL or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "custom_domain": urlsplit(MEDIA_S3_PUBLIC_URL).netloc
            + urlsplit(MEDIA_S3_PUBLIC_URL).path.rstrip("/")
            if MEDIA_S3_PUBLIC_URL
            else None,
            "url_protocol": (urlsplit(MEDIA_S3_PUBLIC_URL).scheme or "https") + ":",
            # Public photos: plain addresses, which cached pages can keep (signed ones would expire).
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body (a photo is 10 MB at most); larger ones get a French 413 before being read,
# and an upload that sends more than it announced is stopped there (centreville.core.request_guard).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=12 * 1024 * 1024)
# The town manager's shop imports (a SIRENE extract can be large), for signed-in people only.
MAX_IMPORT_BODY_BYTES = env.int("MAX_IMPORT_BODY_BYTES", default=256 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "centreville.core.request_guard.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Centre-Ville en ligne <ne-pas-repondre@localhost>"
)

# Map tiles would be the one thing pages load from another host, so there are none unless the operator
# names a tile server (its own, or OpenStreetMap's: the demo uses that one). Without tiles the map still
# places the shops; the list is the page's content either way.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)


def tile_sources(url: str) -> list[str]:
    """The CSP image sources a tile URL needs: none for no tiles."""
    return ["{0.scheme}://{0.netloc}".format(urlsplit(url)).replace("{s}", "*")] if url else []


def media_sources() -> list[str]:
    """The CSP image source of the object store's photos: none when they are served by our own host."""
    if not MEDIA_S3_BUCKET:
        return []
    url = MEDIA_S3_PUBLIC_URL or MEDIA_S3_ENDPOINT_URL or f"https://{MEDIA_S3_BUCKET}.s3.amazonaws.com"
    return ["{0.scheme}://{0.netloc}".format(urlsplit(url))]


# Every asset comes from our own host (map tiles excepted): no third-party script, font, tracker or frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", *tile_sources(MAP_TILE_URL), *media_sources()],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A form refused for its missing or stale token gets our page: what to do next, no technical words.
CSRF_FAILURE_VIEW = "centreville.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Load balancers probe the servers over plain HTTP: the health addresses answer them, not a redirect to https.
SECURE_REDIRECT_EXEMPT = [r"^sante/$", r"^sante/pret/$"]

# Logs go to the standard error, one JSON object a line ("json", for the log collector) or as plain text
# ("text", the developer's default). Each request writes one line (logger centreville.requests: its id,
# method, path, status, duration, town, number of queries; see centreville.core.requestlog); every line
# written while it is served, or by a task it queued, carries its request id.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "centreville.core.logcontext.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        },
        "text": {
            "()": "logging.Formatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            "defaults": {"request_id": "-"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_context"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "centreville.requests": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")},
        # Each task's start and end, with the request id of the request that queued it.
        "django_tasks": {"level": env.str("TASK_LOG_LEVEL", default="INFO")},
    },
}
# SQL queries slower than this are logged (logger centreville.sql) with their duration, in requests and tasks.
SLOW_QUERY_MS = env.int("SLOW_QUERY_MS", default=200)

# The Prometheus metrics at /sante/metriques/ are for holders of this token (Authorization: Bearer …);
# production refuses to start without one of 32 characters or more (centreville.core.checks). Several
# processes add up when PROMETHEUS_MULTIPROC_DIR is set (see centreville.core.metrics).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if env.str("PROMETHEUS_MULTIPROC_DIR", default=""):
    # Made before any library defines a metric there (django-rq does on import): a missing directory
    # would make every count fail. Production's checks refuse one this process cannot write.
    Path(env.str("PROMETHEUS_MULTIPROC_DIR")).mkdir(parents=True, exist_ok=True)

# Errors are reported to Sentry (or a compatible server) only when a DSN is set, without personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from centreville.core.error_reporting import start_error_reporting

    start_error_reporting(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# The web server runs the system checks when it starts (config.wsgi); production adds the deployment ones.
CHECK_DEPLOYMENT_AT_STARTUP = False

PLATFORM_NAME = "Centre-Ville en ligne"
# Scheme and host of every absolute link: canonical URLs, QR codes, links in e-mails and SMS (rendered by the
# worker, outside any request). Production requires it; a developer's machine serves on 127.0.0.1:8000.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"
MESSAGE_STORAGE_COOKIE_NAME = "messages"
# Anonymous pages of a town are cached this long at most; any change to the town makes them stale at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Published aggregates leave empty any count under this (centreville.opendata.suppression says why 5).
OPENDATA_MIN_CELL_COUNT = env.int("OPENDATA_MIN_CELL_COUNT", default=5)
# Page views are counted in memory and written in batches (see centreville.activity.services).
ACTIVITY_FLUSH_SECONDS = env.int("ACTIVITY_FLUSH_SECONDS", default=30)
ACTIVITY_FLUSH_EVENTS = env.int("ACTIVITY_FLUSH_EVENTS", default=500)
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# Task queue
# E-mails, SMS, order expiry and reminders run in a worker beside the web server (`manage.py run_worker`,
# with `manage.py run_scheduler` enqueuing the periodic ones). Tasks are kept in the database by default;
# when REDIS_URL is set they go to Redis and RQ workers run them.
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Dotted path of the class that sends text messages; the default prints them (like e-mails in development).
SMS_BACKEND = env.str("SMS_BACKEND", default="centreville.notifications.sms.ConsoleSmsBackend")
# News and promotions: the short number residents text STOP to, the secret the SMS operator sends with the
# answers it forwards (/<town>/actualites/sms/reponses/; without it every call is refused), and the mailbox
# of the mailto: unsubscribe (default: an address on PUBLIC_BASE_URL's host).
NEWS_SMS_STOP_NUMBER = env.str("NEWS_SMS_STOP_NUMBER", default="")
NEWS_SMS_INBOUND_SECRET = env.str("NEWS_SMS_INBOUND_SECRET", default="")
NEWS_UNSUBSCRIBE_MAILTO = env.str("NEWS_UNSUBSCRIBE_MAILTO", default="")

# Online payment
# "stripe" is Stripe Connect with the keys below; "none" offers no online payment (customers pay at pickup).
# "fake" pretends on a local page that the customer paid: no money moves, so it only runs where
# PAYMENT_FAKE_ALLOWED is on (the demo and the tests); anywhere else the checks refuse to start.
PAYMENT_FAKE_ALLOWED = False
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="none")
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
if PAYMENT_PROVIDER == "stripe":
    # The checkout form answers with a redirect to Stripe's payment page, which form-action must allow.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("https://checkout.stripe.com")
