"""Settings for the Atelier Local portal, read from the environment.

With nothing set, the portal runs on an embedded default for local use: SQLite, Celery tasks run
in-process, e-mails on the console, files on local disk, DEBUG on. Setting SECRET_KEY turns on
production behaviour (DEBUG off, secure cookies, HSTS); DATABASE_URL, REDIS_URL and EMAIL_URL pick
the real backends independently, so tests can run on PostgreSQL and Redis with local settings.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

PRODUCTION = "SECRET_KEY" in os.environ
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-developpement-local-uniquement")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "django.forms",
    "crispy_forms",
    "django_fsm",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "simple_history",
    "django_htmx",
    "pgtrigger",
    # The portal, lowest layer first: each app may use those above it, never those below.
    "territoires",
    "comptes",
    "documents",
    "ateliers",
    "candidatures",
    "marches",
    "livrables",
    "portail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "comptes.middleware.OctetNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comptes.middleware.ActiviteSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comptes.context_processors.portail",
                "portail.context_processors.navigation",
            ],
            "builtins": ["comptes.templatetags.dates"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation of queries: PostgreSQL compiles a query whose estimated cost passes
    # `jit_above_cost`, and the « à traiter » filter (an OR of correlated EXISTS, costed as if
    # each ran per row) passes it for DGALN, who sees every atelier: 13 ms of compiling for a
    # query that runs in 5 (benchmarks/README.md). A portal's short queries never repay it.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "comptes.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "comptes:connexion"
LOGIN_REDIRECT_URL = "portail:accueil"
LOGOUT_REDIRECT_URL = "comptes:connexion"

# Login lockout: 5 failures for the same account from the same address lock it for 15 minutes.
# Behind PROXIES_DE_CONFIANCE proxies (the TLS proxy: 1), the address is read from
# X-Forwarded-For, so that an attacker locks the account only from their own address.
PROXIES_DE_CONFIANCE = env.int("PROXIES_DE_CONFIANCE", default=0)
AXES_CLIENT_IP_CALLABLE = "comptes.adresses.adresse_client"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "comptes/verrouille.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"

# Sessions end after 30 idle minutes; each request restarts the count and the page warns
# two minutes before the end (RGAA 7.x: the user must be able to extend a time limit).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Renewed by comptes.middleware.ActiviteSessionMiddleware at most once a minute.
SESSION_ACTIVITE_SECONDES = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production, WhiteNoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Atelier Local <ne-pas-repondre@atelier-local.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that stops answering must not hold a delivery task (and its outbox row lock).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# A pending e-mail due for this long lost its queue message: the periodic job queues it again.
COURRIELS_RELANCE_SECONDES = env.int("COURRIELS_RELANCE_SECONDES", default=120)

# Celery: with REDIS_URL, a real broker and result store; without, tasks run in-process.
# The embedded broker names its host, or kombu warns at every new connection (every e-mail).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ROUTES = {"documents.document_rendre": {"queue": "pdf"}}
# Publication des tâches depuis le web : une requête n'attend jamais Redis. Aucune tâche ne
# garde de résultat (publier s'abonnait sinon au résultat, et réessayait 19 s Redis absent) ;
# les courriels sont mis en file par une connexion à délais courts (une demi-seconde) qui ne
# réessaie pas (comptes.services) : ce qui n'a pu être mis en file reste en base, la relance
# périodique s'en charge. Le worker garde ses propres réglages de connexion.
CELERY_TASK_IGNORE_RESULT = True
PUBLICATION_TACHES_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    "purger-donnees-personnelles": {
        "task": "comptes.tasks.purger_donnees_personnelles",
        "schedule": crontab(hour=3, minute=30),
    },
    "purger-participants-des-sessions": {
        "task": "ateliers.participants_purger",
        "schedule": crontab(hour=3, minute=35),
    },
    "relancer-courriels-en-attente": {
        "task": "comptes.courriels_relancer",
        "schedule": 60.0,
    },
    "relancer-rendus-bloques": {
        "task": "documents.rendus_bloques_relancer",
        "schedule": 60.0,
    },
    "relancer-analyses-en-attente": {
        "task": "documents.analyses_en_attente_relancer",
        "schedule": 30 * 60.0,
    },
    # What a race between two saves on one atelier may have left stale (portail/faits.py).
    "recalculer-faits-des-ateliers": {
        "task": "portail.faits_recalculer",
        "schedule": 5 * 60.0,
    },
    "lever-alertes": {
        "task": "ateliers.alertes_lever",
        "schedule": crontab(hour=6, minute=0),
    },
    "effacer-fichiers-retires": {
        "task": "documents.fichiers_retires_effacer",
        "schedule": crontab(hour=3, minute=45),
    },
    # A round closes within five minutes of its deadline (marches, issue 10 §4).
    "clore-consultations-echues": {
        "task": "marches.consultations_echues_clore",
        "schedule": 5 * 60.0,
    },
}

# Files in and out (documents/).
DOCUMENTS_TAILLE_MAX = env.int("DOCUMENTS_TAILLE_MAX", default=20 * 1024 * 1024)
# Path of a clamd socket ("/run/clamav/clamd.ctl") or "tcp://host:3310"; empty: no antivirus.
DOCUMENTS_CLAMD = env("DOCUMENTS_CLAMD", default="")
# A render "en cours" for longer than this was lost with its worker: it goes back to the queue.
DOCUMENTS_RENDU_BLOQUE_MINUTES = env.int("DOCUMENTS_RENDU_BLOQUE_MINUTES", default=10)
# Past its own retries (about two hours), a scan still waiting is queued again.
DOCUMENTS_ANALYSE_RELANCE_HEURES = env.int("DOCUMENTS_ANALYSE_RELANCE_HEURES", default=3)
# A replaced or withdrawn upload is no longer served at once; its bytes are erased this many
# days later (time for an administrator to give back a file replaced by mistake).
DOCUMENTS_FICHIERS_RETIRES_JOURS = env.int("DOCUMENTS_FICHIERS_RETIRES_JOURS", default=7)

# Éligibilité (candidatures/): how many candidatures DGALN aims to select a year.
ELIGIBILITE_OBJECTIF_ANNUEL = env.int("ELIGIBILITE_OBJECTIF_ANNUEL", default=10)
# The accompagnement's alerts (README, « Alertes »): months after the notification.
ALERTE_DUREE_MOIS = tuple(env.list("ALERTE_DUREE_MOIS", cast=int, default=[12, 15]))
ALERTE_SESSION_NON_TENUE_JOURS = env.int("ALERTE_SESSION_NON_TENUE_JOURS", default=7)
ALERTE_COMPTE_RENDU_JOURS = env.int("ALERTE_COMPTE_RENDU_JOURS", default=15)

# Every form of the portal stays under these, whatever is typed (tests/test_limites.py works
# out the largest request of each part of the note): nobody loses a long text to a bare 400.
# Fields: a Section 2 may name every EPCI of France (1 266) and every département.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("dsfr_crispy",)
CRISPY_TEMPLATE_PACK = "dsfr_crispy"
DSFR_MARK_OPTIONAL_FIELDS = True
# Messages and DSFR tag contents may carry user text (an atelier's title): always escape it.
DSFR_CONTENT_IS_SAFE = False

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security headers, on every response; HTTPS-only settings in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"sans_trace_4xx": {"()": "config.journaux.SansTraceSousErreurServeur"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler printed every message a second time beside ours.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"filters": ["sans_trace_4xx"]},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

PORTAIL_NOM = "Atelier Local"
# The portal's address, for the links in e-mails (sent outside any request). `make run` sets it
# to the address it serves; in production no default could be right.
if PRODUCTION and not env("PORTAIL_URL", default=""):
    raise ImproperlyConfigured(
        "Définissez PORTAIL_URL, l'adresse publique du portail (par exemple "
        "https://atelier-local.example.gouv.fr) : les liens des courriels y mènent."
    )
PORTAIL_URL = env("PORTAIL_URL", default="http://127.0.0.1:8000").rstrip("/")
if not PRODUCTION and "ALLOWED_HOSTS" not in os.environ:
    ALLOWED_HOSTS.append(urlsplit(PORTAIL_URL).hostname)
PORTAIL_DESCRIPTION = "Atelier des territoires – de la pré-candidature au livret de capitalisation"
