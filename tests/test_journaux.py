"""The console of `make run`: an ordinary refusal is one line, a server error keeps its
traceback, and sending an e-mail in embedded mode says nothing."""

import logging

import pytest
from django.urls import reverse

from config.celery import app as celery_app
from tests.comptes.factories import UtilisateurFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("adresse", "statut"),
    [(reverse("candidatures:a_instruire"), 403), ("/cette-page-n-existe-pas/", 404)],
)
def test_un_refus_s_ecrit_en_une_ligne_sans_trace(client, caplog, adresse, statut):
    client.force_login(UtilisateurFactory())

    with caplog.at_level(logging.INFO):
        reponse = client.get(adresse)

    assert reponse.status_code == statut
    requetes = [r for r in caplog.records if r.name == "django.request"]
    assert len(requetes) == 1
    assert requetes[0].levelno == logging.WARNING
    assert requetes[0].exc_info is None
    assert "\n" not in caplog.text.strip()


def test_une_erreur_serveur_garde_sa_trace(caplog):
    try:
        raise RuntimeError("panne")
    except RuntimeError as erreur:
        logging.getLogger("django.request").error(
            "Internal Server Error: /", exc_info=erreur, extra={"status_code": 500}
        )

    (enregistrement,) = [r for r in caplog.records if r.name == "django.request"]
    assert enregistrement.exc_info is not None
    assert "RuntimeError: panne" in caplog.text


def test_les_messages_de_django_s_ecrivent_une_seule_fois():
    """Django's own console handler printed them a second time beside the portal's."""
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate


def test_le_courtier_embarque_ne_previent_de_rien(caplog, settings):
    if settings.REDIS_URL:
        pytest.skip("courtier Redis configuré : le mode embarqué n'est pas en jeu")

    with celery_app.connection_for_write() as connexion:
        connexion.info()

    assert [r.getMessage() for r in caplog.records if r.name.startswith("kombu")] == []
