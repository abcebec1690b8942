"""A real round trip through Redis: the web side queues a task, a Celery worker runs it.

The worker runs in this process, in a thread (celery.contrib.testing.worker.start_worker), on
the project's own Celery app, so it sees the same settings and the locmem e-mail outbox that
pytest-django installs. The task goes to a queue of its own, named for this test run, so that
another worker on the same Redis (`make worker`, a parallel CI run) cannot take it.
"""

import pytest
from celery.result import AsyncResult, EagerResult

from config.celery import app
from tests.marques import AVEC_WORKER_REDIS

pytestmark = AVEC_WORKER_REDIS


# redis 8.1 deprecates SETEX, which Celery 5.7's Redis result backend still calls to store a
# result; with pyproject's "error" filter the worker could not record the task's success.
@pytest.mark.filterwarnings(
    r"ignore:Call to deprecated setex\. \(Use 'set' instead\.\):DeprecationWarning"
)
def test_courriel_traverse_redis_et_le_worker(worker_celery, mailoutbox):
    from comptes.tasks import envoyer_courriel

    worker_celery(envoyer_courriel)

    resultat = envoyer_courriel.delay(
        sujet="Essai du worker",
        corps="Ce message a traversé Redis et le worker Celery.",
        destinataires=["agent@example.gouv.fr"],
    )

    assert isinstance(resultat, AsyncResult)
    assert not isinstance(resultat, EagerResult)
    resultat.get(timeout=30)
    assert resultat.state == "SUCCESS"
    # Read back from the Redis result store by id alone: the worker wrote it there.
    relu = AsyncResult(resultat.id, app=app)
    assert relu.state == "SUCCESS"
    assert type(relu.backend).__name__ == "RedisBackend"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Essai du worker"
    assert message.to == ["agent@example.gouv.fr"]
    assert "traversé Redis" in message.body
