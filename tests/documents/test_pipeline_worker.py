"""A real render through Redis and a Celery worker: the web side asks for a document, the
worker renders it, and the PDF it stores carries the atelier's name.

The worker runs in this process, in a thread (celery.contrib.testing.worker.start_worker), on
the project's own Celery app. The render task goes to a queue named for this test run, so that
another worker on the same Redis (`make worker`, a parallel CI run) cannot take it.
"""

import threading
import time

import pytest
from pypdf import PdfReader

from documents import rendu
from documents.models import Document
from documents.services import document_demander
from tests.ateliers.factories import AtelierFactory
from tests.marques import AVEC_WORKER_REDIS

pytestmark = AVEC_WORKER_REDIS

ATTENTE_MAX = 60


def _attendre_la_fin(document):
    limite = time.monotonic() + ATTENTE_MAX
    while time.monotonic() < limite:
        document.refresh_from_db()
        if document.statut in (Document.Statut.PRET, Document.Statut.ECHEC):
            return document
        time.sleep(0.2)
    pytest.fail(f"Document toujours « {document.get_statut_display()} » après {ATTENTE_MAX} s")


def test_un_document_demande_est_rendu_par_le_worker(worker_celery, monkeypatch):
    from documents.tasks import document_rendre

    worker_celery(document_rendre)
    fils_de_rendu = []

    def rendre(html, *, titre, pieces_jointes=()):
        fils_de_rendu.append(threading.get_ident())
        return rendu.rendre(html, titre=titre, pieces_jointes=pieces_jointes)

    monkeypatch.setattr("documents.services.rendus.rendre", rendre)
    atelier = AtelierFactory(intitule="Plateau de Millevaches")

    document = document_demander(
        source=atelier,
        gabarit="documents_essai/fiche.html",
        contexte="ateliers.pdf.contexte_fiche",
        titre=f"Fiche atelier {atelier.reference}",
        version="1",
        par=None,
    )
    document = _attendre_la_fin(document)

    assert document.statut == Document.Statut.PRET, document.erreur
    assert document.tentatives == 1
    assert len(fils_de_rendu) == 1
    assert fils_de_rendu[0] != threading.get_ident(), "rendu dans le processus web, pas le worker"
    lecteur = PdfReader(document.fichier.path)
    assert document.nombre_pages == len(lecteur.pages)
    texte = "".join(page.extract_text() for page in lecteur.pages)
    assert "Plateau de Millevaches" in texte
    assert f"Fiche atelier {atelier.reference}" in texte
