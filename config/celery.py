"""The Celery application; tasks are discovered in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Worker Celery : survivre au courtier. Celery is pinned to 5.6.3 because 5.7.0 exits
# (« AttributeError: 'NoneType' object has no attribute 'hostname' ») when Redis dies under a
# running task (tests/test_worker_panne_redis.py). The worker waits for Redis as long as it takes
# (the default gives up after 100 attempts); a running task is left to finish rather than
# killed halfway, since every task checks its object's state and may run twice; the child that
# finished it waits for Redis to record its result instead of reporting a failure.
app.conf.update(
    broker_connection_retry=True,
    broker_connection_max_retries=None,
    worker_cancel_long_running_tasks_on_connection_loss=False,
    result_backend_always_retry=True,
    result_backend_max_retries=20,
)
