"""Settings for the outreach meeting scheduler.

Everything comes from the environment. With nothing set, the project runs locally on
embedded defaults (SQLite in ./data, a generated secret, no Redis). With
OUTREACH_ENV=production, the variables production needs are required and a missing one
stops the process at start-up with a clear message.
"""

import ipaddress
import os
import secrets
from datetime import time
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None, *, required_in_production: bool = False) -> str:
    """Read one variable; in production, a required one that is missing is an error."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if required_in_production and PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when OUTREACH_ENV=production.")
    return default if default is not None else ""


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def env_time(name: str, default: str) -> time:
    value = os.environ.get(name, "").strip() or default
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time like 09:00, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


OUTREACH_ENV = os.environ.get("OUTREACH_ENV", "local").strip().lower() or "local"
if OUTREACH_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("OUTREACH_ENV must be 'local' or 'production'.")
PRODUCTION = OUTREACH_ENV == "production"

DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def local_secret(filename: str, make) -> str:
    """A secret kept in DATA_DIR with mode 0600, created on first use (local runs only)."""
    path = DATA_DIR / filename
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return path.read_text().strip()


# --- Core -------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", required_in_production=True) or local_secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when OUTREACH_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address used in links inside SMS, email and flyers (no trailing slash).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000", required_in_production=True).rstrip("/")
# Path of the staff admin; production should pick its own.
ADMIN_PATH = env("ADMIN_PATH", "staff-admin/").strip("/") + "/"
# "I plan to go": at most this many counts per address per hour (django-ratelimit, shared cache).
ATTENDANCE_RATE = env("ATTENDANCE_RATE", "20/h")

INSTALLED_APPS = [
    "modeltranslation",  # before django.contrib.admin, as modeltranslation requires
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "meetings",
    "reminders",
    "outreach.apps.AxesConfig",  # django-axes: locks the admin login after wrong passwords
    "outreach.apps.OutreachConfig",  # page cache invalidation on meeting and venue changes
]

MIDDLEWARE = [
    # Cached public pages answer here, before everything else, with the headers all of the
    # rest added when the page was stored (pagecache.py); they write their own log line.
    "outreach.pagecache.PageCacheMiddleware",
    "outreach.logs.RequestLogMiddleware",  # outermost: one log line per request, whatever answers
    "outreach.health.HealthCheckMiddleware",  # /healthz before host checks and HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "outreach.security.ContentSecurityPolicyMiddleware",  # Django's, each policy built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a request body: only UTF-8 is read, anything else is a 400.
    "outreach.errors.RequestCharsetMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's check, plus forms that need no token (the reminder form, "I plan to go").
    "outreach.csrf.SameOriginCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # must be last: turns a lockout into its response
]

ROOT_URLCONF = "outreach.urls"
WSGI_APPLICATION = "outreach.wsgi.application"

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
                "meetings.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env(
            "DATABASE_URL",
            f"sqlite:///{DATA_DIR / 'outreach.sqlite3'}",
            required_in_production=True,
        ),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A hung server must not hold a request (or a worker) for ever when connecting.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DB_CONNECT_TIMEOUT", 5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # make run's web server, worker and beat write to one SQLite file at once. Without this,
    # a writer that meets another's lock fails at once ("database is locked": a resident's
    # code never sent); WAL lets readers go on, IMMEDIATE takes the write lock up front (no
    # deadlock between two upgrading readers), and a writer waits up to 20 s for its turn.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", required_in_production=True)
# Every Redis call gives up after this many seconds, and after a failure this process does not
# try Redis again for REDIS_BREAKER_SECONDS (outreach/cache.py): a dead or hung Redis costs a
# request at most a quarter of a second, never the site.
REDIS_SOCKET_TIMEOUT = env_float("REDIS_SOCKET_TIMEOUT", 0.25)
REDIS_BREAKER_SECONDS = env_float("REDIS_BREAKER_SECONDS", 5.0)
# The database cache: the local shared cache without Redis, and where counters that must hold
# (rate limits) go while Redis is unreachable. Its table is made by a migration.
_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "outreach_cache",
}
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend with short timeouts and a circuit breaker (outreach/cache.py).
            "BACKEND": "outreach.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "outreach"),
            "OPTIONS": {
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "breaker_seconds": REDIS_BREAKER_SECONDS,
            },
        },
        "database": _DATABASE_CACHE,
        # Rate limits and "once a day" replies: Redis, or the database while Redis is down.
        "limits": {
            "BACKEND": "outreach.cache.FailoverCache",
            "OPTIONS": {"primary": "default", "fallback": "database"},
        },
    }
else:
    # Shared by every local process (web, worker, beat) through the database, never in memory;
    # rendered pages in files (outreach/pagecache.py), which a hit reads without a query.
    CACHES = {
        "default": _DATABASE_CACHE,
        "database": _DATABASE_CACHE,
        "limits": _DATABASE_CACHE,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }
RATELIMIT_USE_CACHE = "limits"
# Public pages are kept rendered in the shared cache this many seconds (0: off); a staff change
# shows at once regardless. On in the embedded default too: each process keeps the pages it
# served and reads only the version, from a small file there (pagecache.py).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
# After a staff save, the process that saved renders the pages the change touched, in every
# language, before the next visitor asks (outreach/prerender.py): a save takes about 3 ms
# more per page. Off only to measure what a visitor met without it (make bench).
RENDER_PAGES_ON_SAVE = env_bool("RENDER_PAGES_ON_SAVE", True)
# What each process keeps of what it rendered, by content (outreach/fragments.py): "all"
# (whole pages and pieces: cards, the blank reminder form), "pieces", or "none". Less than
# "all" only to measure renders (make bench) or to rule the kept renders out when debugging.
KEEP_RENDERED = os.environ.get("KEEP_RENDERED", "").strip().lower() or "all"
KEEP_RENDERED = {"true": "all", "false": "none"}.get(KEEP_RENDERED, KEEP_RENDERED)
if KEEP_RENDERED not in {"all", "pieces", "none"}:
    raise ImproperlyConfigured("KEEP_RENDERED must be all, pieces or none.")

# --- Who is speaking ---------------------------------------------------------------------

# The department that runs the site, named the same way on every page, flyer and text
# (outreach/department.py), in each of LANGUAGES.
DEPARTMENT = {
    "name": {
        "es": env("DEPARTMENT_NAME_ES", "Departamento de Policía de Dallas"),
        "en": env("DEPARTMENT_NAME_EN", "Dallas Police Department"),
        "vi": env("DEPARTMENT_NAME_VI", "Sở Cảnh sát Dallas"),
        "ar": env("DEPARTMENT_NAME_AR", "إدارة شرطة دالاس"),
    },
    # Starts every text message: short, because a text is paid by the part.
    "sms_sender": {
        "es": env("SMS_SENDER_ES", "Policía de Dallas"),
        "en": env("SMS_SENDER_EN", "Dallas Police"),
        "vi": env("SMS_SENDER_VI", "Cảnh sát Dallas"),
        "ar": env("SMS_SENDER_AR", "شرطة دالاس"),
    },
    "city": env("DEPARTMENT_CITY", "Dallas"),
    # Demo values (555-01xx numbers are reserved for examples): production sets the real ones.
    "phone": env("DEPARTMENT_PHONE", "214-555-0142"),
    "address": env("DEPARTMENT_ADDRESS", "1400 S. Lamar St., Dallas, TX 75215"),
}

# --- Languages and time -----------------------------------------------------------------

# The site's languages, in the order the language switch lists them: LANGUAGES=es,en,vi,ar.
# Each code must be one Django knows (django.conf.locale.LANG_INFO); its catalogue lives in
# locale/<code>/. This is the one source: code elsewhere asks outreach/languages.py.
_LANGUAGE_CODES = env_list("LANGUAGES", ["es", "en"])
for _code in _LANGUAGE_CODES:
    if _code not in LANG_INFO or "name" not in LANG_INFO[_code]:
        raise ImproperlyConfigured(f"LANGUAGES: {_code!r} is not a language code Django knows.")
if len(set(_LANGUAGE_CODES)) != len(_LANGUAGE_CODES):
    raise ImproperlyConfigured("LANGUAGES names a language twice.")
LANGUAGES = [(code, _(LANG_INFO[code]["name"])) for code in _LANGUAGE_CODES]
# What a visitor to "/" gets when the browser asks for none of LANGUAGES (DEFAULT_LANGUAGE,
# else English when it is on, else the first of LANGUAGES). Also the language every meeting
# must have a title in, and the one a translated field falls back to.
LANGUAGE_CODE = env("DEFAULT_LANGUAGE", "en" if "en" in _LANGUAGE_CODES else _LANGUAGE_CODES[0])
if LANGUAGE_CODE not in _LANGUAGE_CODES:
    raise ImproperlyConfigured(f"DEFAULT_LANGUAGE {LANGUAGE_CODE!r} must be one of LANGUAGES.")
# A meeting is not published until it has its title and description in each of these
# (PUBLISH_LANGUAGES=es,vi; residents are mostly Spanish speakers). Only enabled ones count.
PUBLISH_LANGUAGES = [
    code for code in env_list("PUBLISH_LANGUAGES", ["es"]) if code in _LANGUAGE_CODES
]
# Kept from before PUBLISH_LANGUAGES: true lets a meeting be published with any text.
ALLOW_PUBLISH_WITHOUT_SPANISH = env_bool("ALLOW_PUBLISH_WITHOUT_SPANISH", False)
if ALLOW_PUBLISH_WITHOUT_SPANISH:
    PUBLISH_LANGUAGES = []
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/Chicago"
USE_TZ = True
FORMAT_MODULE_PATH = ["outreach.formats"]

# Translated content fields (modeltranslation) have a column per language. The project ships
# the migrations for every language it ships a catalogue for, whether enabled or not, so the
# same migrations fit every install and `makemigrations --check` stays clean with any subset.
# A language beyond these gets its columns with one command (README, "Adding a language"):
#   python manage.py makemigrations meetings && python manage.py migrate
# Order: the admin's tabs, the default language first, then LANGUAGES, then the others.
SHIPPED_LANGUAGES = ["es", "en", "vi", "ar"]
MODELTRANSLATION_LANGUAGES = tuple(
    dict.fromkeys([LANGUAGE_CODE, *_LANGUAGE_CODES, *SHIPPED_LANGUAGES])
)
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# A text missing in one language shows in the default one; the default's own falls back to the
# other languages in LANGUAGES order.
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": (LANGUAGE_CODE,),
    LANGUAGE_CODE: tuple(code for code in _LANGUAGE_CODES if code != LANGUAGE_CODE),
}

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing

# --- Security ---------------------------------------------------------------------------

# A directions link must not tell a maps site which meeting page a person read: no referrer
# leaves the site. Not "no-referrer": with it browsers send "Origin: null" on every form POST,
# and Django's CSRF check then refuses every form (tests/browser caught it).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie (forms carry the token), so scripts may not either.
CSRF_COOKIE_HTTPONLY = True
# An expired form gets a page in the site's layout and language, not Django's bare one.
CSRF_FAILURE_VIEW = "outreach.errors.csrf_failure"
# Django's "is CsrfViewMiddleware in MIDDLEWARE" looks for its class by name; ours subclasses it
# (outreach/csrf.py), which makes the same check and the secure-cookie one Django then skips.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
# Only our own files run or style a page: no inline script or style, nothing from elsewhere.
# (A JSON-LD <script type="application/ld+json"> is data, not run, so it needs no nonce.)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# Admin login: after this many wrong passwords for one name from one address, every try of
# that name from that address (even with the right password) is refused until the cool-off
# ends or a superuser deletes the lockout in the admin; colleagues behind the same office
# address are not affected. A name guessed from many addresses is locked everywhere after
# ADMIN_LOGIN_NAME_FAILURE_LIMIT. Attempts are kept in the database (every web process sees
# the same count) with only the name, a keyed hash of the address, the time and the count.
AUTHENTICATION_BACKENDS = [
    "outreach.security.AxesLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ADMIN_LOGIN_COOLOFF_MINUTES", 60) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
ADMIN_LOGIN_NAME_FAILURE_LIMIT = env_int("ADMIN_LOGIN_NAME_FAILURE_LIMIT", 20)
AXES_HANDLER = "outreach.security.MinimalAxesHandler"
AXES_LOCKOUT_TEMPLATE = "security/admin_lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not a log of every staff login
AXES_VERBOSE = False  # log only what a lockout is keyed on, never the browser string
# The reverse proxies in front of gunicorn (addresses or networks): X-Forwarded-For is believed
# only on a connection from one of them, so nobody reaching gunicorn directly can dodge a rate
# limit or the lockout with a made-up address. Production defaults to loopback and Docker's
# private ranges (compose publishes the web port on the host's 127.0.0.1 only).
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES", ["127.0.0.1", "::1", "172.16.0.0/12"] if PRODUCTION else []
)
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network like 10.0.0.0/8."
        ) from None
AXES_CLIENT_IP_CALLABLE = "outreach.security.axes_address"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Logging: no personal data is ever passed to a logger --------------------------------

# One JSON object per line in production (for log collectors), plain text locally.
LOG_FORMAT = env("LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'plain'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "outreach.logs.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        # Fields given as `extra` (path, status, duration_ms, task, ...) become JSON keys.
        "json": {
            "()": "outreach.logs.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # RequestLogMiddleware already writes one line per request; runserver's would repeat it.
        "django.server": {"level": "WARNING"},
        # outreach.logs writes the one line per task; Celery's own would add two more.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        # Twilio's client logs each request's query at INFO, a message look-up's number too.
        "twilio": {"level": "WARNING"},
    },
}

# --- Reminders (SMS and email) and Celery ------------------------------------------------

# Contact encryption (reminders/crypto.py): comma-separated Fernet keys, the first one current,
# and the HMAC key behind the look-up digest. Locally both default to key files in DATA_DIR.
CONTACT_KEYS = env_list("CONTACT_KEYS", [])
CONTACT_DIGEST_KEY = env("CONTACT_DIGEST_KEY")
if PRODUCTION and not (CONTACT_KEYS and CONTACT_DIGEST_KEY):
    raise ImproperlyConfigured(
        "CONTACT_KEYS and CONTACT_DIGEST_KEY must be set when OUTREACH_ENV=production."
    )
# Hours before the start at which each reminder goes out (each meeting chooses which).
REMINDERS_OFFSETS_HOURS = {
    "reminder_3d": env_int("REMINDER_PLAN_HOURS", 72),
    "reminder_24h": env_int("REMINDER_FIRST_HOURS", 24),
    "reminder_2h": env_int("REMINDER_SECOND_HOURS", 2),
}
# console (prints), outbox (one file per message in REMINDERS_OUTBOX_DIR), twilio, or the
# dotted path of a Transport class.
# Words a resident texts to our number, per language (reminders/keywords.py matches them
# ignoring case, accents, hamza and vowel marks). A word names its language, so the reply
# comes in it. The carrier keywords (STOP,
# HELP, START and their English synonyms) always work whatever LANGUAGES says.
SMS_KEYWORDS = {
    "en": {
        "stop": ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"],
        "start": ["start", "unstop", "yes"],
        "help": ["help"],
    },
    "es": {
        "stop": ["alto", "parar", "cancelar", "baja", "detener", "no mas"],
        "start": ["si"],
        "help": ["ayuda"],
    },
    "vi": {
        "stop": ["dừng", "dừng lại", "ngừng", "ngừng lại", "hủy"],
        "start": ["bắt đầu", "bat dau", "có"],
        "help": ["giúp", "giúp đỡ", "giup do", "trợ giúp"],
    },
    "ar": {
        "stop": ["توقف", "إيقاف", "إلغاء", "قف"],
        "start": ["ابدأ", "نعم"],
        "help": ["مساعدة", "مساعده"],
    },
}
# Words that suggest no language (answered in the languages of an unknown sender).
SMS_KEYWORDS_ANY_LANGUAGE = {"help": ["info"]}
# START words that, after a day-before reminder, mean "yes, I plan to go" (reminders/join.py).
SMS_YES_WORDS = {"en": ["yes"], "es": ["si"], "vi": ["có"], "ar": ["نعم"]}
# Answers to a join offer meaning "every meeting" (reminders/keywords.py), in residents' own
# words; the offer prints the first of its language's (TODAS, ALL, TẤT CẢ, الكل).
SMS_ALL_WORDS = {
    "es": ["todas", "todas las reuniones"],
    "en": ["all", "all meetings"],
    "vi": ["tất cả", "tất cả buổi họp"],
    "ar": ["الكل", "كل", "كل اللقاءات"],
}
REMINDERS_SMS_TRANSPORT = env("SMS_TRANSPORT", "twilio" if PRODUCTION else "console")
REMINDERS_OUTBOX_DIR = Path(env("SMS_OUTBOX_DIR", str(DATA_DIR / "outbox")))
# A delivery claimed this long ago and still not sent, with no send task waiting in the
# queue, had its worker lost: it is queued again (checked by the dispatcher every minute).
REMINDERS_CLAIM_LEASE_SECONDS = env_int("REMINDERS_CLAIM_LEASE_SECONDS", 45)
# How long one provider call may take (above the transports' own timeouts: Twilio 15 s,
# SMTP 20 s). An attempt started longer ago with no recorded outcome was lost: it is looked
# up at the provider (or settled by the per-kind guarantee) before any new try.
REMINDERS_ATTEMPT_TIMEOUT_SECONDS = env_int("REMINDERS_ATTEMPT_TIMEOUT_SECONDS", 30)
# Delivery ids per send task (1 = one task per delivery; each broker round trip costs ~2 ms).
REMINDERS_TASK_BATCH = env_int("REMINDERS_TASK_BATCH", 100)
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID")

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "reminders@localhost")
# Email: SMTP when EMAIL_HOST is set (production), else printed to the console (Django 6.1
# MAILERS; EMAIL_BACKEND may name another backend, e.g. the file-based one for demos).
_EMAIL_HOST = env("EMAIL_HOST")
_EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if _EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
if _EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend" and not PRODUCTION:
    # Locally the console is ours: it prints no address and no link (a process's output is
    # its log). In production Django's deploy check (mail.E001) stops the start-up instead.
    _EMAIL_BACKEND = "reminders.notify.console.ConsoleEmailBackend"
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": {
            "host": _EMAIL_HOST,
            "port": env_int("EMAIL_PORT", 587),
            "username": env("EMAIL_HOST_USER"),
            "password": env("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 20,
        }
        if _EMAIL_HOST
        # The file backend (for demos): one file per message, in DATA_DIR, not in a log.
        else {"file_path": str(DATA_DIR / "mail")}
        if _EMAIL_BACKEND.endswith("filebased.EmailBackend")
        else {},
    }
}

# Redis when REDIS_URL is set; otherwise an embedded broker (SQLite through kombu's SQLAlchemy
# transport), so `make run` still has a real worker and beat.
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{DATA_DIR / 'celery-broker.sqlite3'}"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing a task from a web request must not wait long on a dead or hung Redis: a short
# connect timeout, one quick retry, and a bounded wait for an answer.
# A task taken by a worker that vanished (kill -9, lost host) comes back after the visibility
# timeout, not Redis's default hour; the dispatcher's lease recovers its deliveries sooner
# anyway, and a task still running then is simply run twice (every send task is safe to).
# One dict: the embedded SQLAlchemy broker refuses these options, so Redis only.
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": max(REDIS_SOCKET_TIMEOUT, 0.1),
        "socket_timeout": env_float("BROKER_SOCKET_TIMEOUT", 5.0),
        "visibility_timeout": env_int("BROKER_VISIBILITY_TIMEOUT_SECONDS", 300),
    }
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "reminders-dispatch": {
        "task": "reminders.dispatch_due",
        "schedule": float(env_int("DISPATCH_EVERY_SECONDS", 60)),
    },
    "reminders-delete-unconfirmed": {"task": "reminders.delete_unconfirmed", "schedule": 3600.0},
    # Nightly, when nothing is being sent: reminders/retention.py.
    # Daily at noon, inside every day's SMS window: "every meeting" terms that ended.
    "reminders-end-all-meetings-terms": {
        "task": "reminders.end_all_meetings_terms",
        "schedule": crontab(hour=12, minute=0),
    },
    "reminders-purge-expired": {
        "task": "reminders.purge_expired",
        "schedule": crontab(hour=3, minute=30),
    },
    "sessions-clear-expired": {
        "task": "outreach.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=45),
    },
}

# --- Trust: retention, rate limits, quiet hours ------------------------------------------

# Days after the last meeting a subscription covers before it is deleted with its contact.
REMINDERS_RETENTION_DAYS = env_int("RETENTION_DAYS", 7)
# How long "every upcoming meeting" reminders last from sign-up (told on the form and the
# privacy page), whatever the gaps between series; they end with one last message.
REMINDERS_ALL_MEETINGS_DAYS = env_int("ALL_MEETINGS_DAYS", 180)
# What the "remind me" form may cost (reminders/abuse.py). Only confirmations actually sent
# count, never a form with a mistake. Per address: a burst that fits a full church hall on one
# Wi-Fi (40 people), far below what an SMS-pumping script needs. Per contact: nobody's phone
# or inbox can be flooded. Rates are django-ratelimit rates ("60/h").
REMINDERS_SENDS_PER_ADDRESS = env("SUBSCRIBE_ADDRESS_RATE", "60/h")
REMINDERS_SENDS_PER_CONTACT = env("SUBSCRIBE_CONTACT_RATE", "3/h")
# Wrong codes typed per address (a hall of people mistyping) and per pending request.
REMINDERS_WRONG_CODES_PER_ADDRESS = env("WRONG_CODE_RATE", "100/h")
# Confirmation texts sent per clock hour, site-wide: past it the form offers email instead,
# and staff see a warning on the admin's front page.
REMINDERS_CONFIRMATION_SMS_PER_HOUR = env_int("CONFIRMATION_SMS_PER_HOUR", 300)
# Regions (ISO 3166 codes, as phonenumbers names them) whose mobile numbers get texts. By the
# number's region, not its country code: +1 876 is Jamaica. Premium-rate, toll-free and
# shared-cost numbers are always refused.
SMS_REGIONS = [code.upper() for code in env_list("SMS_REGIONS", ["US"])]
# Email addresses with accents before the @ (josé.pérez@...) need a mail server that speaks
# SMTPUTF8, which Django's SMTP backend does not use: accepted only with another backend.
EMAIL_ALLOWS_UNICODE_LOCAL_PART = env_bool(
    "EMAIL_ALLOWS_UNICODE_LOCAL_PART",
    not MAILERS["default"]["BACKEND"].endswith(".smtp.EmailBackend"),
)
# Inbound texts: each Twilio MessageSid is acted on once; its digest is kept this many days
# (a signed request carries no time, so a captured one could otherwise be replayed).
INBOUND_SMS_REMEMBER_DAYS = env_int("INBOUND_SMS_REMEMBER_DAYS", 30)
# Text to join (reminders/join.py): a whole message that is one of these words (case, accents
# and surrounding punctuation ignored) offers the next meetings, in the word's language; the
# answer 1 (next meeting) or TODAS/ALL (every meeting) subscribes the number. The first word
# of a language is the one its pages, flyers and HELP reply print (the default language's for
# a language with none); choose one a cheap phone can type. Every language's words work
# whatever LANGUAGES says (one of a language not enabled is answered in the default language),
# so the English MEETING works for everyone. Vietnamese HOP also matches HỌP (accents ignored).
SMS_JOIN_KEYWORDS = {
    "es": env_list("SMS_JOIN_KEYWORDS_ES", ["REUNION", "REUNIONES", "JUNTA"]),
    "en": env_list("SMS_JOIN_KEYWORDS_EN", ["MEETING", "MEETINGS"]),
    "vi": env_list("SMS_JOIN_KEYWORDS_VI", ["HOP", "HỌP"]),
    "ar": env_list("SMS_JOIN_KEYWORDS_AR", ["اجتماع", "لقاء"]),
}
# The number residents text the keyword to, as printed on pages, flyers and the HELP reply
# ("+12145550100"); empty: the line "No internet? Text MEETING to ..." is not shown.
SMS_JOIN_NUMBER = env("SMS_JOIN_NUMBER", "")
# How long an offer waits for its answer (1, TODAS, ALL); kept by the number's digest only.
SMS_JOIN_OFFER_HOURS = env_int("SMS_JOIN_OFFER_HOURS", 24)
# SMS go out only inside this window, venue time (Texas allows 9-21, Sundays 12-21).
SMS_SEND_WINDOW = {
    "start": env_time("SMS_WINDOW_START", "09:00"),
    "end": env_time("SMS_WINDOW_END", "20:00"),
    "sunday_start": env_time("SMS_WINDOW_SUNDAY_START", "12:00"),
}
# A cancellation or change text outside that window waits for it only if it still arrives
# this long before the start; otherwise it goes in Texas's legal hours, or at once.
SMS_NOTICE_LEAD_MINUTES = env_int("SMS_NOTICE_LEAD_MINUTES", 120)
# A reminder due before the window opens on the meeting's day goes at the opening when that is
# at least this long before the start (09:00 for a 10:00 meeting); otherwise the evening before.
SMS_REMINDER_SPARE_MINUTES = env_int("SMS_REMINDER_SPARE_MINUTES", 60)

# The admin's tabbed translation fields use jQuery UI; serve our copy, never a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
