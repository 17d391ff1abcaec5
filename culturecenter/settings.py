"""Settings for the 清水文化中心 portal.

One file, read from the environment. Local defaults are safe for a laptop
(DEBUG on, SQLite); production is switched on by variables (see README).
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from culturecenter.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "culturecenter",
    "activities",
    "lending",
    "feedback",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "culturecenter.middleware.DatabaseUnavailableMiddleware",
    # Pages and, under `make run`, static files go out compressed (whitenoise serves its own
    # pre-compressed files in production); Django's gzip pads against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "culturecenter.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "culturecenter.middleware.PublicPageGenerationMiddleware",
    "culturecenter.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "culturecenter.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "culturecenter.lib.locks.TryAgainMiddleware",
]

ROOT_URLCONF = "culturecenter.urls"
WSGI_APPLICATION = "culturecenter.wsgi.application"

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
                "culturecenter.context_processors.site",
            ],
        },
    },
]

# SQLite for `make run`; PostgreSQL (psycopg 3) when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database that is away or frozen must be answered in seconds, not after a minute:
# connecting gives up after DJANGO_DB_CONNECT_TIMEOUT seconds, and PostgreSQL cancels any
# statement (or lock wait) longer than DJANGO_DB_STATEMENT_TIMEOUT ms (0 = no limit, for
# long maintenance such as `make bench`'s bulk loading).
DB_CONNECT_TIMEOUT = env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
DB_STATEMENT_TIMEOUT_MS = env_int("DJANGO_DB_STATEMENT_TIMEOUT", 5000)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=DB_CONNECT_TIMEOUT, options=f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
    )
# /healthz gives its verdict within this many seconds.
HEALTHZ_TIMEOUT_SECONDS = env_int("DJANGO_HEALTHZ_TIMEOUT", 2)

# `make bench` works on its own district-scale database, never on the real one:
# `<name>_scale` on the same PostgreSQL server, or bench/scale.sqlite3.
SCALE_DATABASE = env_bool("DJANGO_SCALE_DATABASE", False)
if SCALE_DATABASE:
    # The benchmark's commands and its minimal page exist only then, never in production.
    INSTALLED_APPS.append("bench")
    ROOT_URLCONF = "bench.urls"
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["NAME"] = BASE_DIR / "bench" / "scale.sqlite3"
    else:
        DATABASES["default"]["NAME"] += "_scale"

# The database cache is shared by every app server that uses the same database; with
# DJANGO_CACHE_URL=redis://host:6379/0 they share a Redis instead (Django's RedisCache).
CACHE_URL = env_str("DJANGO_CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"DJANGO_CACHE_URL must be a redis://, rediss:// or unix:// address; got {CACHE_URL!r}.")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Cached pages and searches, campaign standings and the login throttle share it:
            # Django's default of 300 entries would throw a third of them away again and again.
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 20000)},
        }
    )
}

AUTH_USER_MODEL = "culturecenter.User"
AUTHENTICATION_BACKENDS = ["culturecenter.backends.MobileOrUsernameBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "me"
LOGOUT_REDIRECT_URL = "home"

# Failed logins: LOGIN_FAILURE_LIMIT for one account from one address blocks that pair for
# the window; the same number for one account from anywhere only slows it down (one try
# per LOGIN_ACCOUNT_PAUSE_SECONDS), so a stranger cannot lock a villager out; and
# LOGIN_FAILURE_LIMIT_PER_ADDRESS from one address (a whole village may share one) blocks it.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 50)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
LOGIN_ACCOUNT_PAUSE_SECONDS = env_int("LOGIN_ACCOUNT_PAUSE_SECONDS", 30)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Private uploads (check-in photos awaiting moderation, archive documents) are kept apart
# and served only through views that check who asks; see culturecenter/lib/private_files.py.
PRIVATE_MEDIA_ROOT = Path(env_str("DJANGO_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# With nginx: an `internal` location serving PRIVATE_MEDIA_ROOT, e.g. "/protected-media/".
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("DJANGO_PRIVATE_MEDIA_ACCEL", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "culturecenter.lib.private_files.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# No-show rule: after NO_SHOW_LIMIT no-shows within NO_SHOW_WINDOW_DAYS, online
# sign-up pauses for NO_SHOW_PAUSE_DAYS from the last one.
NO_SHOW_LIMIT = env_int("NO_SHOW_LIMIT", 2)
NO_SHOW_WINDOW_DAYS = env_int("NO_SHOW_WINDOW_DAYS", 120)
NO_SHOW_PAUSE_DAYS = env_int("NO_SHOW_PAUSE_DAYS", 30)

# Room bookings: a booking not marked 已到 within ROOM_NO_SHOW_GRACE_MINUTES of its start is
# released; ROOM_NO_SHOW_LIMIT releases within ROOM_NO_SHOW_WINDOW_DAYS pause that booker's
# room requests for ROOM_NO_SHOW_PAUSE_DAYS from the last one.
ROOM_NO_SHOW_GRACE_MINUTES = env_int("ROOM_NO_SHOW_GRACE_MINUTES", 15)
ROOM_NO_SHOW_LIMIT = env_int("ROOM_NO_SHOW_LIMIT", 2)
ROOM_NO_SHOW_WINDOW_DAYS = env_int("ROOM_NO_SHOW_WINDOW_DAYS", 30)
ROOM_NO_SHOW_PAUSE_DAYS = env_int("ROOM_NO_SHOW_PAUSE_DAYS", 30)

# Door check-in (walk-ins too) opens this many minutes before an event starts and
# closes when it ends, so attendance is only ever recorded on the day.
CHECKIN_OPENS_MINUTES_BEFORE = env_int("CHECKIN_OPENS_MINUTES_BEFORE", 60)

# Course series: a notice after this many absences in a row, or when attendance falls
# below this percentage once this many sessions were held; the completion certificate
# from this percentage of held sessions; course attendance opens this long before a session.
COURSE_WARNING_ABSENCES = env_int("COURSE_WARNING_ABSENCES", 3)
COURSE_WARNING_BELOW_PERCENT = env_int("COURSE_WARNING_BELOW_PERCENT", 60)
COURSE_WARNING_MIN_SESSIONS = env_int("COURSE_WARNING_MIN_SESSIONS", 4)
COURSE_CERTIFICATE_PERCENT = env_int("COURSE_CERTIFICATE_PERCENT", 80)
COURSE_CHECKIN_MINUTES_BEFORE = env_int("COURSE_CHECKIN_MINUTES_BEFORE", 30)

# What one client address or one login may store in a while before a script is refused
# (a village may share one address, so the per-address limits are generous); 0 turns one off.
REGISTRATIONS_PER_ADDRESS_PER_HOUR = env_int("REGISTRATIONS_PER_ADDRESS_PER_HOUR", 10)
ANONYMOUS_ANSWERS_PER_ADDRESS_PER_HOUR = env_int("ANONYMOUS_ANSWERS_PER_ADDRESS_PER_HOUR", 20)
NEEDS_PER_MEMBER_PER_DAY = env_int("NEEDS_PER_MEMBER_PER_DAY", 5)
NEEDS_PER_ADDRESS_PER_DAY = env_int("NEEDS_PER_ADDRESS_PER_DAY", 30)
SUPPORTS_PER_MEMBER_PER_HOUR = env_int("SUPPORTS_PER_MEMBER_PER_HOUR", 30)  # +1s and reports together
SUPPORTS_PER_ADDRESS_PER_HOUR = env_int("SUPPORTS_PER_ADDRESS_PER_HOUR", 200)

# Uploaded pictures: a phone photo fits; a decompression bomb does not.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 8 * 2**20)
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 2**20

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Django's protections stay on; production tightens transport.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind the reverse proxy: trust its X-Forwarded-Proto, and the address it appends to
# X-Forwarded-For (culturecenter/lib/client.py).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "noreply@qingshui.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The center itself, shown in the footer and in emails.
CENTER_NAME = env_str("CENTER_NAME", "清水文化中心")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
CENTER_ADDRESS = env_str("CENTER_ADDRESS", "北京市门头沟区清水镇清水文化中心")
CENTER_PHONE = env_str("CENTER_PHONE", "010-6985 0000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
