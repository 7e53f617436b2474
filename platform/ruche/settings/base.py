"""Settings shared by every mode, read from the environment.

With no variable set, Ruche runs on embedded defaults that need no server: SQLite, the
in-memory channel layer, the local-memory cache and kombu's filesystem broker (a real Celery
worker reads it). `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from redis.exceptions import ConnectionError as RedisConnectionError

from operations.observability import logging_config

PLATFORM_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = PLATFORM_DIR.parent
VAR_DIR = Path(environ.Env().str("RUCHE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The default key is for a developer's machine only; production.py refuses to start without one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="ruche-dev-only-not-a-secret-5f1e0c7d2b")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DEMO_MODE = env.bool("RUCHE_DEMO_MODE", default=DEBUG)
SITE_URL = env.str("RUCHE_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Ruche
    "core",
    "people",
    "activity",
    "interactions",
    "notifications",
    "governance",
    "console",
    # SCIM 2.0 provisioning: writes accounts through the people services (layer of console).
    "provisioning",
    "blogs",
    "communities",
    "metrics",
    # Must-read announcements (the layer above blogs | communities: audiences of departments
    # or of a community's members).
    "announcements",
    "ama",
    # Global search: reads every kind through the registry (layer of console | metrics); after
    # the content apps, whose kinds it indexes once they are registered.
    "search",
    # Personal data: export and erasure of a person, retention of reading history (reads
    # every app: the layer above blogs | communities).
    "privacy",
    # The ROI worksheet for administrators and executives (reads metrics: the layer of
    # blogs | communities | operations).
    "roi",
    # Two-factor authentication: enrolment, the code step, recovery codes, the rule for
    # administrators (above the governance kernel: its changes are audited).
    "twofactor",
    # Backup and restore, request ids, the Prometheus endpoint (layer of blogs | communities).
    "operations",
    # The project itself: the commands that run every app's steps (seed_demo).
    "ruche",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django and friends
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram lookups of global search (PostgreSQL; nothing on SQLite).
    "django.contrib.postgres",
    "csp",
    # Login throttling and lockout (see "Sign-in protection" below).
    "axes",
    # Two-factor authentication: django-otp's authenticator-app (TOTP) and recovery-code
    # (static) devices; Ruche's flow, pages and rules are in `twofactor`.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # First: the request id is in every log record of the request, even the earliest, and the
    # latency it measures covers every other middleware.
    "operations.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (see "Content-Security-Policy" below).
    "core.csp.ContentSecurityPolicyMiddleware",
    # --- input cleaning (issue 14) --- NUL and control characters out of the path, query,
    # cookies, form body and path parameters before the session, CSRF or any view reads them.
    "core.middleware.InputCleaningMiddleware",
    # Each cached version (core.versions) read once per request.
    "core.middleware.RequestVersionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which device, if any, verified this session (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # An intranet: every view needs a session unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "people.middleware.PreferredLanguageMiddleware",
    # After the login check: a signed-in session that still owes its second factor reaches
    # only the code page, the enrolment pages and logout (twofactor.middleware).
    "twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during authentication into the
    # login page with the lockout message (people.auth.lockout_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ruche.urls"
WSGI_APPLICATION = "ruche.wsgi.application"
ASGI_APPLICATION = "ruche.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# What the layout around every page shows for its reader (the header's menu): part of the key
# of the pages kept whole (core.rendering.reader_page).
RUCHE_LAYOUT_STATE = "ruche.header.menu_state"

# --- Data -------------------------------------------------------------------------------------
# Sessions are read from the cache (Redis in production), written through to the database so
# a cache flush signs nobody out: one query less on every signed-in request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ruche.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The web server, the worker and beat share one file: wait for locks instead of failing,
    # and take the write lock at BEGIN so two writers never deadlock on an upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
else:
    # A pool per process (psycopg_pool, Django's OPTIONS["pool"]). Under ASGI every request runs
    # its synchronous code in a thread of its own, and a persistent connection (CONN_MAX_AGE >
    # 0) belongs to a thread: 50 requests in flight kept 50 connections open until PostgreSQL
    # refused more ("too many clients"). With the pool a request borrows a connection for as
    # long as it runs and gives it back when it finishes; a request that finds all of them
    # busy waits up to DATABASE_POOL_TIMEOUT seconds instead of failing. The budget is
    # therefore fixed: at most DATABASE_POOL_MAX_SIZE connections per web worker and per
    # Celery process (README, "Database connections").
    DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=8)
    if DATABASE_POOL_MAX_SIZE:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(env.int("DATABASE_POOL_MIN_SIZE", default=1), DATABASE_POOL_MAX_SIZE),
            "max_size": DATABASE_POOL_MAX_SIZE,
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=20.0),
            # Connections idle for a while are closed: a quiet process holds only min_size.
            "max_idle": 300,
        }
    # Persistent connections and the pool exclude each other. Without a pool
    # (DATABASE_POOL_MAX_SIZE=0, behind PgBouncer for example) a connection per request,
    # unless DATABASE_CONN_MAX_AGE asks otherwise: never under ASGI without a budget in front.
    DATABASES["default"]["CONN_MAX_AGE"] = (
        0 if DATABASE_POOL_MAX_SIZE else env.int("DATABASE_CONN_MAX_AGE", default=0)
    )
    # With health checks on, the pool tests a connection before lending it: no "server closed
    # the connection" after PostgreSQL restarted.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Page loads one web process runs at once (operations.admission): the others wait in line.
# Writes and the health probe have their own lane, so they never wait behind the pages. Both
# together stay below the pool, so that an admitted request never waits for a connection;
# RUCHE_REQUEST_SLOTS=0 removes the gate (every request in its own thread at once).
RUCHE_REQUEST_SLOTS = env.int("RUCHE_REQUEST_SLOTS", default=1)
RUCHE_WRITE_SLOTS = env.int("RUCHE_WRITE_SLOTS", default=2)
# While a write runs, the next page load of the process waits for it, at most this long (0: not
# at all): the write then shares the interpreter with no new page (operations.admission).
RUCHE_WRITE_PRIORITY_MS = env.int("RUCHE_WRITE_PRIORITY_MS", default=250)

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis errors are cache misses, then a pause before trying again: pages keep
            # serving from PostgreSQL while Redis is down (core.cache, README).
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("RUCHE_CACHE_PREFIX", default="ruche"),
            "OPTIONS": {"breaker_seconds": env.float("RUCHE_CACHE_BREAKER_SECONDS", default=5.0)},
        }
    }
    # Redis pub/sub: a group message is published once and each web process, subscribed once
    # to the group, hands it to its own sockets (channels_redis.core stored a copy per socket
    # and each process pulled them back one round trip at a time: 1,000 viewers of a thread
    # meant 1,000 Redis messages per reply). Measured in one run with bench/fanout (1,000
    # sockets, 30 replies): p99 2.2 s with the per-socket layer, 0.84 s with this one
    # (docs/benchmarks.md). Delivery is at most once, like a dropped frame: every page message
    # carries its group's sequence number and pages re-sync on a gap (communities.live), and
    # redis-py subscribes again by itself when Redis comes back.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # A publish while Redis is unreachable fails within 2 s instead of
                        # holding the request that committed (broadcasts are best effort).
                        "socket_connect_timeout": 2,
                        # After a Redis restart a process's pooled connection is dead: try
                        # once more on a new one, or the first broadcast would be lost.
                        "retry_on_error": [RedisConnectionError],
                    }
                ],
                "prefix": env.str("RUCHE_CHANNEL_PREFIX", default="ruche"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    # kombu's filesystem transport: web, worker and beat share a folder of message files.
    CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
    CELERY_QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "store_processed": False,
    }
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A committed action must not hang on a broker that does not answer: connect within 2 s.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
# ... and give up queueing after two quick retries (about half a second): the e-mail is sent
# later by notifications.tasks.email_missed_notifications (beat, every 5 minutes).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A worker killed mid-task (kill -9, OOM) leaves its message unacknowledged: it is delivered
# again rather than lost. Tasks are idempotent, so the re-run sends nothing twice.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out username+address before any password is checked
# (AxesStandaloneBackend checks only; ModelBackend signs in). Every authenticate() with a
# request goes through it: the intranet's login page, and Wagtail's and Django's admin logins.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses passwords when RUCHE_PASSWORD_LOGIN is off, except the break-glass accounts.
    "people.auth.PasswordPolicyBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# --- Sign-in protection (README, "Passwords and sign-in protection") ---
# A username tried from one address is locked after RUCHE_LOGIN_FAILURE_LIMIT wrong passwords
# for RUCHE_LOGIN_COOLOFF_MINUTES. Username *and* address: a colleague cannot lock someone out
# from another machine, and an unknown username locks exactly like a real one (no enumeration).
AXES_FAILURE_LIMIT = env.int("RUCHE_LOGIN_FAILURE_LIMIT", default=5)
RUCHE_LOGIN_COOLOFF_MINUTES = env.int("RUCHE_LOGIN_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=RUCHE_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The attempts live in the database (django-axes' default handler): the Django admin lists
# them, and an administrator unlocks someone there or with `manage.py axes_reset_username`.
AXES_LOCKOUT_CALLABLE = "people.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "people.auth.client_ip"
# Behind a reverse proxy, REMOTE_ADDR is the proxy: RUCHE_TRUSTED_PROXY_COUNT proxies in front
# of Ruche each append to X-Forwarded-For, and the client is the address they were handed.
RUCHE_TRUSTED_PROXY_COUNT = env.int("RUCHE_TRUSTED_PROXY_COUNT", default=0)
# --- Two-factor authentication (README, "Two-factor authentication") ---
# Whoever has an authenticator enters its code after their password. Administrators and Django
# admin staff must have one (they are sent to the enrolment page and reach nothing else until
# done) unless RUCHE_2FA_REQUIRED_FOR_ADMINS is off. Single sign-on sessions are the provider's:
# its own second factor applies, Ruche asks none.
RUCHE_2FA_REQUIRED_FOR_ADMINS = env.bool("RUCHE_2FA_REQUIRED_FOR_ADMINS", default=True)
# RUCHE_2FA_FAILURE_LIMIT wrong codes in a row lock the second step for RUCHE_2FA_COOLOFF_MINUTES.
RUCHE_2FA_FAILURE_LIMIT = env.int("RUCHE_2FA_FAILURE_LIMIT", default=5)
RUCHE_2FA_COOLOFF_MINUTES = env.int(
    "RUCHE_2FA_COOLOFF_MINUTES", default=RUCHE_LOGIN_COOLOFF_MINUTES
)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env.str("RUCHE_2FA_ISSUER", default="Ruche")
# django-otp's own exponential delay is off: Ruche counts wrong codes itself (above), across the
# authenticator and the recovery codes, and says how long the lock lasts.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# --- Password reset by e-mail ---
# A reset link works once, for RUCHE_PASSWORD_RESET_HOURS. Requests are limited per address and
# per e-mail (in the cache: Redis in production) whether or not the e-mail is anyone's.
PASSWORD_RESET_TIMEOUT = env.int("RUCHE_PASSWORD_RESET_HOURS", default=24) * 3600
RUCHE_PASSWORD_RESET_LIMIT = env.int("RUCHE_PASSWORD_RESET_LIMIT", default=5)
RUCHE_PASSWORD_RESET_WINDOW_MINUTES = env.int("RUCHE_PASSWORD_RESET_WINDOW_MINUTES", default=60)
# --- Single sign-on with OpenID Connect (README, "Connect your directory") ---
# Off unless RUCHE_OIDC_ISSUER is set: then the login page offers "Sign in with <provider>",
# through mozilla-django-oidc (authorization code flow with PKCE, state and nonce) and
# people.oidc, which finds the provider's endpoints and keys from the issuer's discovery
# document and checks the ID token's signature, issuer, audience and expiry.
RUCHE_OIDC_ISSUER = env.str("RUCHE_OIDC_ISSUER", default="").rstrip("/")
RUCHE_OIDC_PROVIDER_NAME = env.str("RUCHE_OIDC_PROVIDER_NAME", default="") or _("your company")
OIDC_RP_CLIENT_ID = env.str("RUCHE_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("RUCHE_OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("RUCHE_OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("RUCHE_OIDC_SIGN_ALGO", default="RS256")
# How the client secret reaches the token endpoint: "basic" (the HTTP header every provider
# accepts) or "post" (in the form body).
OIDC_TOKEN_USE_BASIC_AUTH = env.str("RUCHE_OIDC_TOKEN_AUTH", default="basic") == "basic"
# First sign-in of someone with no account: create it (true) or refuse (false: accounts come
# from the administrators or a directory import).
RUCHE_OIDC_CREATE_ACCOUNTS = env.bool("RUCHE_OIDC_CREATE_ACCOUNTS", default=True)
# Which claim holds what. An empty RUCHE_OIDC_CLAIM_EMAIL_VERIFIED trusts every e-mail the
# provider sends (Entra ID sends no email_verified: its addresses are the tenant's own).
RUCHE_OIDC_CLAIMS = {
    "email": env.str("RUCHE_OIDC_CLAIM_EMAIL", default="email"),
    "email_verified": env.str("RUCHE_OIDC_CLAIM_EMAIL_VERIFIED", default="email_verified"),
    "username": env.str("RUCHE_OIDC_CLAIM_USERNAME", default="preferred_username"),
    "first_name": env.str("RUCHE_OIDC_CLAIM_FIRST_NAME", default="given_name"),
    "last_name": env.str("RUCHE_OIDC_CLAIM_LAST_NAME", default="family_name"),
    "department": env.str("RUCHE_OIDC_CLAIM_DEPARTMENT", default="department"),
    "job_title": env.str("RUCHE_OIDC_CLAIM_JOB_TITLE", default="job_title"),
}
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
# The ID token stays in the session for the provider's logout (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = env.int("RUCHE_OIDC_TIMEOUT_SECONDS", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
OIDC_CALLBACK_CLASS = "people.oidc.CallbackView"
OIDC_AUTHENTICATE_CLASS = "people.oidc.AuthenticationRequestView"
# With single sign-on, local passwords can be switched off: only the administrators named in
# RUCHE_BREAK_GLASS_USERS (usernames) still sign in with one, for when the provider is down.
RUCHE_PASSWORD_LOGIN = env.bool("RUCHE_PASSWORD_LOGIN", default=True)
RUCHE_BREAK_GLASS_USERS = env.list("RUCHE_BREAK_GLASS_USERS", default=[])
# --- Sign-in and directory import from LDAP / Active Directory (README, "Connect your
# directory", "LDAP and Active Directory") ---
# Off unless RUCHE_LDAP_URL is set: then the login form also checks usernames and passwords
# against the directory (people.ldap, with ldap3), and `manage.py import_ldap` reads people,
# departments and managers from it through the CSV import's plan.
RUCHE_LDAP_URL = env.str("RUCHE_LDAP_URL", default="")
RUCHE_LDAP_BIND_DN = env.str("RUCHE_LDAP_BIND_DN", default="")
RUCHE_LDAP_BIND_PASSWORD = env.str("RUCHE_LDAP_BIND_PASSWORD", default="")
RUCHE_LDAP_START_TLS = env.bool("RUCHE_LDAP_START_TLS", default=False)
# A CA bundle to check the server's certificate against (ldaps:// or StartTLS); empty: the
# system's. The certificate is always checked.
RUCHE_LDAP_CA_FILE = env.str("RUCHE_LDAP_CA_FILE", default="")
RUCHE_LDAP_TIMEOUT = env.int("RUCHE_LDAP_TIMEOUT_SECONDS", default=5)
RUCHE_LDAP_USER_BASE = env.str("RUCHE_LDAP_USER_BASE", default="")
# Who counts as a person (and may sign in); Active Directory: exclude disabled accounts with
# (&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2))).
RUCHE_LDAP_USER_FILTER = env.str("RUCHE_LDAP_USER_FILTER", default="(objectClass=inetOrgPerson)")
RUCHE_LDAP_CREATE_ACCOUNTS = env.bool("RUCHE_LDAP_CREATE_ACCOUNTS", default=True)
# Which attribute holds what. An empty RUCHE_LDAP_ATTR_DEPARTMENT takes the department from
# the entry's organisational unit (the first ou= of its DN).
RUCHE_LDAP_ATTRIBUTES = {
    "username": env.str("RUCHE_LDAP_ATTR_USERNAME", default="uid"),
    "email": env.str("RUCHE_LDAP_ATTR_EMAIL", default="mail"),
    "first_name": env.str("RUCHE_LDAP_ATTR_FIRST_NAME", default="givenName"),
    "last_name": env.str("RUCHE_LDAP_ATTR_LAST_NAME", default="sn"),
    "job_title": env.str("RUCHE_LDAP_ATTR_JOB_TITLE", default="title"),
    "department": env.str("RUCHE_LDAP_ATTR_DEPARTMENT", default="departmentNumber"),
    "manager": env.str("RUCHE_LDAP_ATTR_MANAGER", default="manager"),
}
# The nightly import (Celery beat, 02:30), off by default; with or without deactivating the
# people no longer in the directory.
RUCHE_LDAP_NIGHTLY_IMPORT = env.bool("RUCHE_LDAP_NIGHTLY_IMPORT", default=False)
RUCHE_LDAP_DEACTIVATE_MISSING = env.bool("RUCHE_LDAP_DEACTIVATE_MISSING", default=False)
if RUCHE_LDAP_URL and not RUCHE_LDAP_USER_BASE:
    raise ImproperlyConfigured("RUCHE_LDAP_URL is set: RUCHE_LDAP_USER_BASE too")
if not RUCHE_PASSWORD_LOGIN and not (RUCHE_OIDC_ISSUER or RUCHE_LDAP_URL):
    raise ImproperlyConfigured(
        "RUCHE_PASSWORD_LOGIN=false needs RUCHE_OIDC_ISSUER or RUCHE_LDAP_URL: else nobody signs in"
    )
if RUCHE_OIDC_ISSUER:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "RUCHE_OIDC_ISSUER is set: RUCHE_OIDC_CLIENT_ID and RUCHE_OIDC_CLIENT_SECRET too"
        )
    # First: a sign-in that comes back from the provider is the provider's; django-axes
    # throttles passwords, which the provider checks itself.
    AUTHENTICATION_BACKENDS.insert(0, "people.oidc.OidcBackend")
if RUCHE_LDAP_URL:
    # After django-axes (a locked-out username+address is refused before the directory is
    # asked, and a wrong directory password counts as a failure) and before the local password
    # policy: RUCHE_PASSWORD_LOGIN governs the passwords Ruche keeps, not the directory's.
    AUTHENTICATION_BACKENDS.insert(
        AUTHENTICATION_BACKENDS.index("people.auth.PasswordPolicyBackend"),
        "people.ldap.LdapBackend",
    )
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language ---------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PLATFORM_DIR / "core" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "ruche_language"

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Set in production (collectstatic); elsewhere WhiteNoise serves from the apps.
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default="") or None
# Outside production, WhiteNoise serves static files straight from the apps (no collectstatic).
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Media (uploaded files) --------------------------------------------------------------------
# Nothing under /media/ is public: core.views.media checks who may read each file (the object
# it belongs to: core.media) and then hands it over. Uploads get random names (core.media).
# RUCHE_MEDIA_STORAGE=local (default): a folder, RUCHE_MEDIA_ROOT; Django streams the file, or
#   nginx does when RUCHE_MEDIA_ACCEL_REDIRECT names its internal location (X-Accel-Redirect).
# RUCHE_MEDIA_STORAGE=s3: a private S3-compatible bucket (django-storages) that several web
#   containers share; the view redirects to a URL signed for RUCHE_MEDIA_SIGNED_URL_SECONDS.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("RUCHE_MEDIA_ROOT", default=str(BASE_DIR / "media")))
RUCHE_MEDIA_STORAGE = env.str("RUCHE_MEDIA_STORAGE", default="local")
RUCHE_MEDIA_ACCEL_REDIRECT = env.str("RUCHE_MEDIA_ACCEL_REDIRECT", default="")
RUCHE_MEDIA_SIGNED_URL_SECONDS = env.int("RUCHE_MEDIA_SIGNED_URL_SECONDS", default=60)
if RUCHE_MEDIA_STORAGE == "s3":
    MEDIA_STORAGE = {
        "BACKEND": "core.media.ObjectMediaStorage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "querystring_expire": RUCHE_MEDIA_SIGNED_URL_SECONDS,
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        },
    }
elif RUCHE_MEDIA_STORAGE == "local":
    MEDIA_STORAGE = {"BACKEND": "core.media.LocalMediaStorage"}
else:
    raise ImproperlyConfigured(f"RUCHE_MEDIA_STORAGE: 'local' or 's3', not {RUCHE_MEDIA_STORAGE!r}")
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A profile photo is resized to fit this square and stored without its metadata (people.photos).
RUCHE_PHOTO_MAX_PIXELS = 512
# An image put in a post through the composer: refused above this size, stored at most this
# many pixels on each side and without its metadata (people.photos); pages show renditions.
RUCHE_POST_IMAGE_MAX_BYTES = env.int("RUCHE_POST_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
RUCHE_POST_IMAGE_MAX_PIXELS = 2400
# --- end of Media -----------------------------------------------------------------------------

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ruche <ruche@example.com>")

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Ruche"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "login"
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The database backend picks PostgreSQL full-text search on PostgreSQL, SQLite FTS otherwise.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"
TAGGIT_CASE_INSENSITIVE = True
# Wagtail 8's editor autosaves every 500 ms. Its autosave and a click on Publish are two
# requests that race: a Publish sent while "Saving…" was shown left the post a draft, and a
# Publish during the first autosave of a new page created the page twice (issue 11). Ruche's
# posts are short and the composer (blogs.views.compose) keeps what is typed itself: autosave
# is off for every page, and the editor saves only when the writer clicks.
WAGTAIL_AUTOSAVE_INTERVAL = 0

# --- Personal data (privacy; docs/privacy.md) ----------------------------------------------
# What an erasure does with the person's posts, threads and comments: "attribute" keeps them,
# signed by a "former employee" placeholder; "remove" deletes their posts and threads (with
# the comments under them) and empties their comments elsewhere.
RUCHE_ERASURE_CONTENT = env.str("RUCHE_ERASURE_CONTENT", default="attribute")
if RUCHE_ERASURE_CONTENT not in ("attribute", "remove"):
    raise ImproperlyConfigured('RUCHE_ERASURE_CONTENT must be "attribute" or "remove"')
# Per-person view events older than this are purged every night (privacy.tasks); the daily
# rollups computed from them stay. 395 days: about 13 months.
RUCHE_VIEW_RETENTION_DAYS = env.int("RUCHE_VIEW_RETENTION_DAYS", default=395)

# --- Content-Security-Policy ------------------------------------------------------------------
# django-csp 4 through core.csp.ContentSecurityPolicyMiddleware (second in MIDDLEWARE, right
# after SecurityMiddleware, so that every response gets it: static files, redirects, errors).
# Ruche's own pages run no inline script and no inline event handler (every script is a static
# file under <app>/static/<app>/), so scripts come from 'self' only.
# Styles: Ruche's style sheets are files too, but a post's video or slides come as the
# provider's oEmbed HTML, wrapped by Wagtail's responsive embed in `style="padding-bottom:…"`
# (Dailymotion's and SlideShare's iframes carry style attributes of their own). Style
# *attributes* are therefore allowed (`style-src-attr 'unsafe-inline'`); `<style>` elements are
# not. A style attribute cannot run script; what it could do (restyle a page) is limited to
# markup that the rich-text sanitiser (core.html) already strips of any style.
# Websockets: CSP 3 makes 'self' match ws:/wss: on the same host and port; the site's own
# websocket origin is added for browsers that predate it (never any ws: host at all).
# Frames: only the players of the embed providers that blogs.blocks.ALLOWED_EMBED_HOSTS allows
# (a test keeps the two lists together). Nobody may frame Ruche (clickjacking).
_SITE = urlsplit(SITE_URL)
CSP_WEBSOCKET_ORIGIN = f"{'wss' if _SITE.scheme == 'https' else 'ws'}://{_SITE.netloc}"
CSP_EMBED_FRAME_SOURCES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://www.dailymotion.com",
    "https://geo.dailymotion.com",
    "https://www.slideshare.net",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", CSP_WEBSOCKET_ORIGIN],
        "frame-src": CSP_EMBED_FRAME_SOURCES,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": env.list("RUCHE_CSP_REPORT_URI", default=[]) or None,
    },
}
# Wagtail's admin (/admin/) is Wagtail's code, not Ruche's: its editor still writes inline
# scripts (inline panels, date pickers: wagtailadmin/panels/inline_panel.html,
# widgets/date_input.html...), Draftail and its widgets set inline styles, image previews are
# blob: URLs, and the page preview frames Ruche's own page. It gets a relaxed policy of its own,
# on its path only (core.csp): everything else stays as strict as above. The Django admin
# (/django-admin/, administrators only) runs no inline script and keeps the strict one.
CSP_RELAXED_PREFIXES = ["/admin/"]
CSP_RELAXED_DIRECTIVES = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-attr": None,
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'", *CSP_EMBED_FRAME_SOURCES],
    "frame-ancestors": ["'self'"],
}
# Wagtail's admin would load each user's avatar from gravatar.com: a third-party request that
# hands out a hash of every employee's e-mail address, and that img-src blocks. No Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does it ask releases.wagtail.org for new versions (an intranet does not phone home; the
# operators upgrade through the lock file).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# --- Wagtail's editor inside the intranet (issue 11, item 3) ---
# Ruche uses no approval workflow: who publishes where is blogs.permissions (the owner
# publishes, a delegate prepares). Wagtail's default "Moderators approval" workflow offered
# executives and delegates a "Submit to Moderators approval" button that led nowhere.
WAGTAIL_WORKFLOW_ENABLED = False
# The dashboard's "what's new in Wagtail" banner (links to wagtail.org) is for Wagtail's users,
# not for employees (core.wagtail_hooks also drops the panel).
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# --- Operations: logs, error tracking, metrics, backups -------------------------------------
# Logs go to stderr with the request id of each record (operations.requestid): readable lines
# here, one JSON object per line in production (RUCHE_LOG_FORMAT=json).
LOGGING = logging_config(
    log_format=env.str("RUCHE_LOG_FORMAT", default="plain"),
    level=env.str("RUCHE_LOG_LEVEL", default="INFO"),
)
# The version deployed (an image tag, a commit): in backup manifests and Sentry's events.
RUCHE_RELEASE = env.str("RUCHE_RELEASE", default="")
# The Prometheus endpoint /metrics answers only `Authorization: Bearer <this token>`; unset,
# the endpoint does not exist (404).
RUCHE_METRICS_TOKEN = env.str("RUCHE_METRICS_TOKEN", default="")
# Where `manage.py backup` writes by default: a folder or s3://bucket/prefix; the endpoint of
# an S3-compatible server other than AWS (credentials: the usual AWS_* variables).
RUCHE_BACKUP_TO = env.str("RUCHE_BACKUP_TO", default=str(VAR_DIR / "backups"))
RUCHE_BACKUP_S3_ENDPOINT_URL = env.str(
    "RUCHE_BACKUP_S3_ENDPOINT_URL", default=env.str("AWS_S3_ENDPOINT_URL", default="")
)
