"""The Celery application; tasks are discovered in each app's tasks.py."""

import logging
import os
from collections.abc import Sequence

from celery import Celery
from celery.worker import consumer
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class Consumer(consumer.Consumer):
    """Celery 5.7.0's consumer, without the close that makes the worker exit when Redis dies
    under a running task (tests/test_worker_panne_redis.py)."""

    def on_connection_error_after_connected(self, exc):
        """Drop the broken connection and reconnect, as Celery 5.6 did.

        5.7.0 collects the connection, which detaches its transport, then closes it: the close
        puts the unacknowledged task back through a Redis pool rebuilt from the detached
        transport, raises « AttributeError: 'NoneType' object has no attribute 'hostname' », and
        the worker exits (2 of 2 outages; idle, with nothing unacknowledged, it reconnected).
        Without that close, the running task finishes and is acknowledged once Redis is back.
        """
        if self.connection is not None:
            self.connection.close = lambda: None
        super().on_connection_error_after_connected(exc)


logger = logging.getLogger(__name__)


def publier_sans_attendre(tache, arguments: Sequence[dict]) -> int:
    """Queue `tache` once per keyword dict over one connection with short timeouts and no retry
    (PUBLICATION_TACHES_OPTIONS), so that a web request never waits on an unreachable broker.
    The first failure stops, in one log line; the count queued. Only for tasks whose rows a
    periodic job queues again (e-mails, PDF renders, antivirus scans): nothing is lost."""
    from django.conf import settings

    with app.connection_for_write(
        transport_options=settings.PUBLICATION_TACHES_OPTIONS
    ) as connexion:
        for rang, kwargs in enumerate(arguments):
            try:
                tache.apply_async(kwargs=kwargs, connection=connexion, retry=False)
            except OperationalError as exc:
                logger.warning(
                    "%s : %d tâche(s) non mise(s) en file, broker injoignable (%s) ; "
                    "la relance périodique s'en chargera.",
                    tache.name,
                    len(arguments) - rang,
                    exc,
                )
                return rang
    return len(arguments)


app = Celery("config", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Worker Celery : survivre au courtier. The worker waits for Redis as long as it takes (the
# default gives up after 100 attempts); a running task is left to finish rather than killed
# halfway, since every task checks its object's state and may run twice; the child that
# finished it waits (20 attempts, up to 10 s apart) for Redis to record its result instead of
# reporting a failure.
app.conf.update(
    worker_consumer="config.celery:Consumer",
    broker_connection_retry=True,
    broker_connection_max_retries=None,
    worker_cancel_long_running_tasks_on_connection_loss=False,
    result_backend_always_retry=True,
    result_backend_max_retries=20,
)
