"""A broker that cannot be reached, and a throwaway Redis that a test starts and stops."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest

from config.celery import app as celery_app


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


class RedisJetable(str):
    """The URL of a redis-server of the test's own, on a free port, that the test may stop and
    start again on the same port: a broker outage without touching the machine's Redis.

    The same as tests/conftest.py's on main since the worker branch: drop this copy once merged.
    """

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


@pytest.fixture
def celery_sur_redis_jetable(redis_jetable):
    """Celery, web side and worker, pointed at the throwaway redis-server."""
    with _celery_vers(str(redis_jetable)):
        yield redis_jetable
