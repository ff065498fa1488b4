"""Village settings: one module, every value from the environment (DESIGN.md §12).

Defaults make `make run` work on a bare machine (SQLite, Celery eager, mail to the console).
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, EMAIL_URL and
VILLAGE_REQUIRE_MFA=true.
"""

import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and env.bool("VILLAGE_PRODUCTION", default=False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    SECRET_KEY = "village-development-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_htmx",
    "csp",
    "village",
    "partners",
    "families",
    "referrals",
    "reflection",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "village.middleware.UserLanguageMiddleware",
    "village.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "village.urls"
WSGI_APPLICATION = "village.wsgi.application"

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
                "village.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "village.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail login, accounts by invitation only (the adapter closes sign-up).
ACCOUNT_ADAPTER = "village.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {"login_failed": "5/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
# Roles that see personal data must use a second factor when this is on (DESIGN.md §10).
VILLAGE_REQUIRE_MFA = env.bool("VILLAGE_REQUIRE_MFA", default=False)

# Idle sessions end after 30 minutes (DESIGN.md §10).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env.bool("VILLAGE_HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy without inline script or style (DESIGN.md §10).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

# Languages: Dutch (Belgium) by default, French and English complete from day one.
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "village_language"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production (docker-compose) sets whitenoise.storage.CompressedManifestStaticFilesStorage
        # after collectstatic; the default needs no build step.
        "BACKEND": env("STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
WHITENOISE_USE_FINDERS = True

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Village <no-reply@village.invalid>")

# Celery: through Redis when REDIS_URL is set, eagerly in-process otherwise.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Notices and reminders (referrals/tasks.py): the sweep delivers whatever was left behind (broker
# down, worker killed) and sends due digests; the deadline check writes reminders and stale counts.
CELERY_BEAT_SCHEDULE = {
    "referrals-sweep": {"task": "referrals.sweep", "schedule": 5 * 60.0},
    "referrals-check-response-deadlines": {
        "task": "referrals.check_response_deadlines",
        "schedule": 60 * 60.0,
    },
}

# The network's own rules (DESIGN.md §6, §8, §10).
VILLAGE_RESPONSE_WORKING_DAYS = env.int("VILLAGE_RESPONSE_WORKING_DAYS", default=5)
VILLAGE_SUPPRESSION_K = env.int("VILLAGE_SUPPRESSION_K", default=5)
VILLAGE_RETENTION_MONTHS = env.int("VILLAGE_RETENTION_MONTHS", default=24)
VILLAGE_CONSENT_TEXT_VERSION = env("VILLAGE_CONSENT_TEXT_VERSION", default="2026-1")
# E-mail nudges about notices: "immediate" (one per event) or "digest" (once a day at the hour).
VILLAGE_NOTICE_EMAIL = env("VILLAGE_NOTICE_EMAIL", default="digest")
if VILLAGE_NOTICE_EMAIL not in ("immediate", "digest"):
    raise ImproperlyConfigured("VILLAGE_NOTICE_EMAIL must be 'immediate' or 'digest'.")
VILLAGE_NOTICE_DIGEST_HOUR = env.int("VILLAGE_NOTICE_DIGEST_HOUR", default=16)
if not 0 <= VILLAGE_NOTICE_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("VILLAGE_NOTICE_DIGEST_HOUR must be a whole hour from 0 to 23.")
# The address e-mails link to (they carry a link, never content).
VILLAGE_BASE_URL = env("VILLAGE_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
for _name in ("VILLAGE_RESPONSE_WORKING_DAYS", "VILLAGE_SUPPRESSION_K", "VILLAGE_RETENTION_MONTHS"):
    if vars()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a positive whole number.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    # Our own apps say what they did at INFO (a notice dropped for lack of consent, a person
    # invited or switched off): ids only, never a name. Libraries stay at LOG_LEVEL.
    "loggers": {
        app: {"level": env("VILLAGE_LOG_LEVEL", default="INFO")}
        for app in ("village", "families", "partners", "referrals", "reflection")
    },
}

# whitenoise warns when collectstatic has not run; in development it serves from the finders.
warnings.filterwarnings("ignore", message="No directory at: ")
