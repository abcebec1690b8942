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


class RedisJetable:
    """A redis-server of the test's own on a free port, without persistence: never the
    machine's Redis, which other runs and `make worker` use."""

    def __init__(self, executable):
        self.executable = executable
        self.port = port_libre()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.processus = None

    def demarrer(self):
        self.processus = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        limite = time.monotonic() + 10
        while time.monotonic() < limite:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as prise:
                    prise.sendall(b"PING\r\n")
                    if prise.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.arreter()
        pytest.fail(f"redis-server ne répond pas sur le port {self.port}")

    def arreter(self):
        if self.processus is not None:
            self.processus.terminate()
            self.processus.wait(timeout=10)
            self.processus = None


@pytest.fixture
def redis_jetable():
    """Celery pointed at a throwaway redis-server, stopped at first; the test starts it."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server absent : bin/system-deps test l'installe")
    redis = RedisJetable(executable)
    try:
        with _celery_vers(redis.url):
            yield redis
    finally:
        redis.arreter()
