"""A Redis outage, for real: a throwaway redis-server is stopped while users act, then started
again. The actions answer at once, their e-mails wait in the outbox, and once the broker is back
the periodic job and a real worker deliver each of them exactly once.

This is the acceptance test of issue 13, so it measures wall time, with a generous bound. It
needs redis-server (bin/system-deps test) and PostgreSQL, as in CI (.ci/run). The worker runs
in a thread of this process (celery.contrib.testing.worker.start_worker) and sends into the
locmem outbox of pytest-django.
"""

import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.test import Client
from django.urls import reverse

from ateliers.models import Phase
from candidatures.services import candidature_ouvrir
from comptes.models import Courriel
from comptes.services import courriels_relancer
from config.celery import app as celery_app
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

DUREE_MAX = 1.0
ATTENTE_MAX = 60


def _chronometre(envoi):
    debut = time.monotonic()
    reponse = envoi()
    return reponse, time.monotonic() - debut


def _attendre_la_remise(redis_jetable):
    """Every e-mail sent and nothing left in the queue nor being worked on."""
    file = redis.Redis.from_url(str(redis_jetable))
    limite = time.monotonic() + ATTENTE_MAX
    while time.monotonic() < limite:
        en_attente = Courriel.objects.filter(etat=Courriel.Etat.EN_ATTENTE).exists()
        if not en_attente and file.llen("celery") == 0 and file.hlen("unacked") == 0:
            return
        time.sleep(0.2)
    pytest.fail(f"Courriels encore en attente après {ATTENTE_MAX} s")


def test_pendant_une_panne_de_redis_l_action_repond_et_le_courriel_part_une_fois_apres(
    celery_sur_redis_jetable, mailoutbox, settings
):
    redis_jetable = celery_sur_redis_jetable
    if connection.vendor != "postgresql":
        # SQLite's shared in-memory test database locks whole tables between threads.
        pytest.skip("le worker écrit en même temps que le test : PostgreSQL seulement")
    settings.COURRIELS_RELANCE_SECONDES = 0
    collectivite = OrganisationFactory(nom="Communauté du Val")
    atelier = AtelierFactory(phase=Phase.INSTRUCTION, collectivites=[collectivite])
    candidature_ouvrir(atelier=atelier)
    porteur = UtilisateurFactory(organisations=[collectivite], email="elu@val.test")
    UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)], email="ad@dgaln.test")
    echanges = reverse("candidatures:echanges", args=[atelier.pk])
    oubli = reverse("comptes:mot_de_passe_oublie")
    connecte, anonyme = Client(), Client()
    connecte.force_login(porteur)
    assert connecte.get(echanges).status_code == 200  # templates and URLs loaded before timing
    assert anonyme.get(oubli).status_code == 200

    redis_jetable.arreter()
    message, duree_message = _chronometre(
        lambda: connecte.post(echanges, {"texte": "Voici le diagnostic demandé."})
    )
    connue, duree_connue = _chronometre(lambda: anonyme.post(oubli, {"email": porteur.email}))
    inconnue, duree_inconnue = _chronometre(
        lambda: anonyme.post(oubli, {"email": "inconnu@exemple.test"})
    )

    assert message.status_code == 302
    envoye = reverse("comptes:mot_de_passe_envoye")
    assert [(r.status_code, r.url) for r in (connue, inconnue)] == [(302, envoye)] * 2
    assert max(duree_message, duree_connue, duree_inconnue) < DUREE_MAX, (
        duree_message,
        duree_connue,
        duree_inconnue,
    )
    assert sorted(Courriel.objects.values_list("destinataire", "etat")) == [
        ("ad@dgaln.test", Courriel.Etat.EN_ATTENTE),
        ("elu@val.test", Courriel.Etat.EN_ATTENTE),
    ]
    assert mailoutbox == []

    redis_jetable.demarrer()
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, queues=["celery"], shutdown_timeout=30
    ):
        # Twice: the second run queues again what the worker has not sent yet.
        assert courriels_relancer() == 2
        courriels_relancer()
        _attendre_la_remise(redis_jetable)

    assert sorted(m.to[0] for m in mailoutbox) == ["ad@dgaln.test", "elu@val.test"]
    assert set(Courriel.objects.values_list("etat", "tentatives")) == {(Courriel.Etat.ENVOYE, 1)}
