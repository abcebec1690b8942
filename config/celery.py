"""The Celery application; tasks are discovered in each app's tasks.py."""

import os

from celery import Celery
from celery.worker import consumer

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
