"""A real round trip through Redis: the web side queues a task, a Celery worker runs it.

The worker runs in this process, in a thread (celery.contrib.testing.worker.start_worker), on
the project's own Celery app, so it sees the same settings and the locmem e-mail outbox that
pytest-django installs. The task goes to a queue of its own, named for this test run, so that
another worker on the same Redis (`make worker`, a parallel CI run) cannot take it.
"""

import os
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult, EagerResult

from config.celery import app

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL absent : ce test exige un vrai broker Redis (CI : bash .ci/run)",
    ),
]


@pytest.fixture
def file_dediee():
    """A queue name used by this test only; removed from Redis afterwards."""
    nom = f"test-{uuid.uuid4().hex}"
    yield nom
    # Bind it on a fresh channel so that kombu knows its binding, then delete queue and binding.
    with app.connection_for_write() as connexion:
        file = app.amqp.queues[nom].bind(connexion.default_channel)
        file.declare()
        file.delete()


@pytest.fixture
def worker(file_dediee):
    """A Celery worker on Redis consuming the dedicated queue, with eager mode off."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            queues=[file_dediee],
            shutdown_timeout=30,
        ) as w:
            yield w
    finally:
        app.conf.task_always_eager = eager


# redis 8.1 deprecates SETEX, which Celery 5.7's Redis result backend still calls to store a
# result; with pyproject's "error" filter the worker could not record the task's success.
@pytest.mark.filterwarnings(
    r"ignore:Call to deprecated setex\. \(Use 'set' instead\.\):DeprecationWarning"
)
def test_courriel_traverse_redis_et_le_worker(worker, file_dediee, mailoutbox, monkeypatch):
    from comptes.tasks import envoyer_courriel

    tache = app.tasks[envoyer_courriel.name]
    # Route this task to the dedicated queue for the duration of the test (the options that
    # delay() reads are cached on the task; monkeypatch puts both back afterwards).
    monkeypatch.setattr(tache, "queue", file_dediee, raising=False)
    monkeypatch.setattr(tache, "_exec_options", None)

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
