"""A broker that cannot be reached, and Celery pointed at the throwaway Redis (tests/conftest)."""

import socket
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


@pytest.fixture
def celery_sur_redis_jetable(redis_jetable):
    """Celery, web side and worker, pointed at the throwaway redis-server."""
    with _celery_vers(str(redis_jetable)):
        yield redis_jetable
