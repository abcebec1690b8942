"""Fixtures shared by the whole suite."""

import shutil
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app as celery_app
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory

PROJECT_DIRS = tuple(
    str(settings.BASE_DIR / d)
    for d in (
        "templates",
        "territoires",
        "comptes",
        "documents",
        "ateliers",
        "candidatures",
        "marches",
        "livrables",
    )
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that commit (end-to-end, real worker) run after the others, as pytest-django
    intends; another plugin's reordering must not put them in the middle, where the flush that
    follows each of them would empty tables (the themes) for the ordinary tests after it."""

    def commite(item):
        marqueur = item.get_closest_marker("django_db")
        return bool(marqueur and marqueur.kwargs.get("transaction")) or "live_server" in getattr(
            item, "fixturenames", ()
        )

    items.sort(key=commite)


class _UndefinedInOurTemplates(str):
    """string_if_invalid that fails the test for a variable missing in one of our templates.

    Third-party templates (django-dsfr, the admin) rely on missing variables with `default`,
    so only ours are held to the rule.
    """

    def __contains__(self, key):
        return key == "%s"

    def __mod__(self, var):
        import inspect

        for frame_info in inspect.stack()[1:]:
            if frame_info.function != "render":
                continue
            origin = getattr(frame_info.frame.f_locals.get("self"), "origin", None)
            if origin is not None:
                name = str(getattr(origin, "name", origin))
                if name.startswith(PROJECT_DIRS) and not name.startswith(
                    str(Path(".venv").resolve())
                ):
                    pytest.fail(f"Variable de gabarit indéfinie « {var} » dans {name}")
                return ""
        return ""


@pytest.fixture(autouse=True, scope="session")
def _variables_de_gabarit_strictes():
    options = settings.TEMPLATES[0]["OPTIONS"]
    previous = options.get("string_if_invalid", "")
    options["string_if_invalid"] = _UndefinedInOurTemplates("")
    from django.template import engines

    for engine in engines.all():
        engine.engine.string_if_invalid = options["string_if_invalid"]
    yield
    options["string_if_invalid"] = previous


@pytest.fixture(autouse=True)
def _hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Celery's conf, read from Django's settings, finds CELERY_TASK_ALWAYS_EAGER before
# task_always_eager: setting the short name is silently ignored when the settings name it.
EAGER = "CELERY_TASK_ALWAYS_EAGER"


@pytest.fixture(autouse=True)
def _taches_en_processus(request):
    """Run Celery tasks in-process, except in tests that bring a real worker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    eager = celery_app.conf.task_always_eager
    celery_app.conf[EAGER] = True
    yield
    celery_app.conf[EAGER] = eager


@pytest.fixture(autouse=True)
def _cache_vide():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def worker_celery(monkeypatch):
    """A real Celery worker on Redis, in a thread, consuming a queue of this test's own.

    Returns a function that routes a task to that queue, so that no other worker on the same
    Redis (`make worker`, a parallel CI run) can take it. The queue is deleted afterwards.
    """
    from celery.contrib.testing.worker import start_worker

    nom = f"test-{uuid.uuid4().hex}"

    def router(tache):
        tache = celery_app.tasks[tache.name]
        # delay() reads options cached on the task; monkeypatch puts both back afterwards.
        monkeypatch.setattr(tache, "queue", nom, raising=False)
        monkeypatch.setattr(tache, "_exec_options", None)

    eager = celery_app.conf.task_always_eager
    celery_app.conf[EAGER] = False
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=[nom], shutdown_timeout=30
        ):
            yield router
    finally:
        celery_app.conf[EAGER] = eager
        with celery_app.connection_for_write() as connexion:
            file = celery_app.amqp.queues[nom].bind(connexion.default_channel)
            file.declare()
            file.delete()


def _semer_thematiques():
    import importlib

    from django.apps import apps

    importlib.import_module("candidatures.migrations.0002_thematiques").creer(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Rows that only a data migration creates (the programme's themes) are there in every run,
    even on a reused test database that an end-to-end test's flush left empty."""
    with django_db_blocker.unblock():
        _semer_thematiques()


@pytest.fixture
def thematiques():
    """The themes again, for an end-to-end test run after another one's flush emptied them."""
    _semer_thematiques()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored files go to a folder of each test's own, never the working copy's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class RedisJetable(str):
    """The URL of a redis-server of the test's own, on a free port, that the test may stop and
    start again on the same port: a broker outage without touching the machine's Redis."""

    def __new__(cls, port):
        instance = super().__new__(cls, f"redis://127.0.0.1:{port}/0")
        instance.port = port
        instance.processus = None
        return instance

    def demarrer(self):
        """Start the server (empty: no snapshot, no journal) and wait until it answers."""
        commande = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        commande += ["--save", "", "--appendonly", "no"]
        self.processus = subprocess.Popen(  # noqa: S603 - a fixed command, no shell
            commande, stdout=subprocess.DEVNULL
        )
        limite = time.monotonic() + 10
        while time.monotonic() < limite:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connexion:
                    connexion.sendall(b"PING\r\n")
                    if connexion.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.arreter()
        pytest.fail(f"redis-server ne répond pas sur le port {self.port}")

    def arreter(self):
        """Stop the server at once, as a crash would: the clients see their sockets close."""
        if self.processus is not None:
            self.processus.kill()
            self.processus.wait(timeout=10)
            self.processus = None


@pytest.fixture
def redis_jetable():
    """A throwaway redis-server on a free port, never the machine's own Redis; skipped when the
    redis-server binary is absent (`bin/system-deps test` installs it)."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server absent : bin/system-deps test l'installe")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serveur = RedisJetable(port)
    serveur.demarrer()
    yield serveur
    serveur.arreter()


def port_libre():
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return prise.getsockname()[1]


def _oublier_les_connexions():
    """Celery keeps the pools of the broker it first used; kombu keeps one per URL, so forgetting
    Celery's is enough. Not Celery.close(): it also unregisters the app, and the tasks of a module
    imported afterwards would be unknown to it."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def _celery_vers(url):
    """Publish (and consume) through `url`, not eagerly, as a process configured with it would;
    the pooled connections are dropped before and after."""
    conf = celery_app.conf
    # The settings' own names: Celery finds them before the short ones (tests/conftest.py).
    avant = conf.broker_url, conf.task_always_eager
    _oublier_les_connexions()
    conf["CELERY_BROKER_URL"], conf["CELERY_TASK_ALWAYS_EAGER"] = url, False
    try:
        yield
    finally:
        _oublier_les_connexions()
        conf["CELERY_BROKER_URL"], conf["CELERY_TASK_ALWAYS_EAGER"] = avant


@pytest.fixture
def broker_injoignable():
    """Celery pointed at a port where nothing listens, as during a Redis outage."""
    with _celery_vers(f"redis://127.0.0.1:{port_libre()}/0"):
        yield


@pytest.fixture
def celery_sur_redis_jetable(redis_jetable):
    """Celery, web side and worker, pointed at the throwaway redis-server."""
    with _celery_vers(str(redis_jetable)):
        yield redis_jetable


# Shared by the tests of several apps.


@pytest.fixture
def stockage_temporaire(settings, tmp_path):
    """Files stored under a fresh directory, checked without the antivirus daemon."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_CLAMD = ""


@pytest.fixture
def ddt():
    return OrganisationFactory(ddt=True)


@pytest.fixture
def pilote(atelier):
    """A member of the atelier's State service pilote (each module defines its `atelier`)."""
    return UtilisateurFactory(organisations=[atelier.service_pilote])
