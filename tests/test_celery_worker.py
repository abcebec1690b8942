"""A real round trip through Redis: the web side writes an e-mail to the outbox, the commit
queues it, a Celery worker delivers it.

The worker runs in this process, in a thread (celery.contrib.testing.worker.start_worker), on
the project's own Celery app, so it sees the same settings and the locmem e-mail outbox that
pytest-django installs. The task goes to a queue of its own, named for this test run, so that
another worker on the same Redis (`make worker`, a parallel CI run) cannot take it.
"""

import time

import pytest
from django.db import transaction

from comptes.models import Courriel
from comptes.services import courriel_ecrire
from tests.marques import AVEC_WORKER_REDIS

pytestmark = AVEC_WORKER_REDIS

ATTENTE_MAX = 30


def test_un_courriel_traverse_redis_et_le_worker(worker_celery, mailoutbox):
    from comptes.tasks import courriel_envoyer

    worker_celery(courriel_envoyer)

    with transaction.atomic():
        (courriel,) = courriel_ecrire(
            destinataires=["agent@example.gouv.fr"],
            sujet="Essai du worker",
            corps="Ce message a traversé Redis et le worker Celery.",
        )
    limite = time.monotonic() + ATTENTE_MAX
    while Courriel.objects.get(pk=courriel.pk).etat == Courriel.Etat.EN_ATTENTE:
        if time.monotonic() > limite:
            pytest.fail(f"Courriel toujours en attente après {ATTENTE_MAX} s")
        time.sleep(0.2)

    courriel = Courriel.objects.get(pk=courriel.pk)
    assert (courriel.etat, courriel.tentatives) == (Courriel.Etat.ENVOYE, 1)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Essai du worker"
    assert message.to == ["agent@example.gouv.fr"]
    assert "traversé Redis" in message.body
