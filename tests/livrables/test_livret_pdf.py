"""The livret of the demo's closed atelier, and that of an atelier built as the demo's, render to
a tagged PDF/A of 30 to 50 pages, through a real Celery worker on Redis when the suite has one
(CI), in-process otherwise; pypdf reads it, and it names the territory, every session and every
action."""

import contextlib
import io
import os
import threading
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from pypdf import PdfReader

from documents import rendu
from documents.models import Document
from livrables.models import Livrable, VersionLivrable
from livrables.services import version_deposer
from tests.livrables.livret_atelier import INTITULE, atelier_pour_le_livret
from tests.marques import PAR_LE_WORKER_SI_REDIS

pytestmark = PAR_LE_WORKER_SI_REDIS

ATTENTE_MAX = 180


def _attendre_la_fin(document):
    limite = time.monotonic() + ATTENTE_MAX
    while time.monotonic() < limite:
        document.refresh_from_db()
        if document.statut in (Document.Statut.PRET, Document.Statut.ECHEC):
            return document
        time.sleep(0.5)
    pytest.fail(f"Document toujours « {document.get_statut_display()} » après {ATTENTE_MAX} s")


def _texte(lecteur):
    return " ".join(" ".join((page.extract_text() or "").split()) for page in lecteur.pages)


def test_le_livret_de_l_atelier_rend_un_pdf_de_30_a_50_pages(
    liv, request, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from documents.tasks import document_rendre

    par_le_worker = bool(os.environ.get("REDIS_URL"))
    if par_le_worker:
        request.getfixturevalue("worker_celery")(document_rendre)
    fils_de_rendu = []

    def rendre(html, *, titre, pieces_jointes=()):
        fils_de_rendu.append(threading.get_ident())
        return rendu.rendre(html, titre=titre, pieces_jointes=pieces_jointes)

    monkeypatch.setattr("documents.services.rendus.rendre", rendre)
    livrable = atelier_pour_le_livret(liv)

    # Without a worker the test's transaction never commits: its on_commit hooks run here.
    apres_commit = (
        contextlib.nullcontext()
        if par_le_worker
        else django_capture_on_commit_callbacks(execute=True)
    )
    with apres_commit:
        version = version_deposer(
            livrable=livrable, par=liv.groupement, vu=livrable.statut, message="Version 1"
        )
    document = _attendre_la_fin(Document.objects.get(source_id=str(version.pk)))

    assert document.statut == Document.Statut.PRET, document.erreur
    # A tagged PDF logs each image without its text alternative, and each resource refused.
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], caplog.text
    assert len(fils_de_rendu) == 1
    if par_le_worker:
        assert fils_de_rendu[0] != threading.get_ident(), "rendu hors du worker"
    lecteur = PdfReader(document.fichier.path)
    assert 30 <= len(lecteur.pages) <= 50, len(lecteur.pages)
    assert document.nombre_pages == len(lecteur.pages)
    texte = _texte(lecteur)
    contenu = VersionLivrable.objects.get(pk=version.pk).contenu["livret"]
    assert INTITULE in texte
    assert len(contenu["sessions"]) == 3
    for session in contenu["sessions"]:
        assert session["titre"] in texte
    assert len(contenu["actions"]) >= 15
    for action in contenu["actions"]:
        assert action["titre"] in texte


def test_le_livret_de_l_atelier_cloture_de_la_demo_rend_30_a_50_pages(
    thematiques, request, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """`make demo` as it runs, its renders (and e-mails, and file checks) by the worker."""
    from comptes.tasks import courriel_envoyer
    from documents.tasks.fichiers import fichier_analyser_tache
    from documents.tasks.rendus import document_rendre

    settings.DEBUG = True
    par_le_worker = bool(os.environ.get("REDIS_URL"))
    if par_le_worker:
        router = request.getfixturevalue("worker_celery")
        for tache in (document_rendre, courriel_envoyer, fichier_analyser_tache):
            router(tache)
    fils_de_rendu = {}

    def rendre(html, *, titre, pieces_jointes=()):
        fils_de_rendu[titre] = threading.get_ident()
        return rendu.rendre(html, titre=titre, pieces_jointes=pieces_jointes)

    monkeypatch.setattr("documents.services.rendus.rendre", rendre)
    apres_commit = (
        contextlib.nullcontext()
        if par_le_worker
        else django_capture_on_commit_callbacks(execute=True)
    )
    with apres_commit:
        call_command("charger_referentiels", verbosity=0)
        for commande in (
            "charger_demo",
            "charger_demo_candidatures",
            "charger_demo_marches",
            "charger_demo_livrables",
        ):
            call_command(commande, stdout=io.StringIO())
    livret = Livrable.objects.select_related("atelier").get(
        type="livret", statut=Livrable.Statut.VALIDE
    )
    version = livret.versions.get()
    document = _attendre_la_fin(
        Document.objects.get(
            source_type=ContentType.objects.get_for_model(VersionLivrable), source_id=version.pk
        )
    )
    # Every render the demo asked has ended before the worker stops.
    for autre in Document.objects.exclude(pk=document.pk):
        assert _attendre_la_fin(autre).statut == Document.Statut.PRET, autre.erreur

    assert document.statut == Document.Statut.PRET, document.erreur
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], caplog.text
    if par_le_worker:
        assert fils_de_rendu[document.titre] != threading.get_ident(), "rendu hors du worker"
    lecteur = PdfReader(document.fichier.path)
    assert 30 <= len(lecteur.pages) <= 50, len(lecteur.pages)
    assert document.nombre_pages == len(lecteur.pages)
    texte = _texte(lecteur)
    contenu = version.contenu["livret"]
    assert livret.atelier.intitule.startswith("Grand Besançon")
    assert livret.atelier.intitule in texte
    assert contenu["carte"] is not None and len(contenu["images"]) == 3
    assert [s["numero"] for s in contenu["sessions"]] == [1, 2, 3]
    for session in contenu["sessions"]:
        assert session["titre"] in texte
        assert len(session["photos"]) == 2
    assert len(contenu["actions"]) == 15
    for action in contenu["actions"]:
        assert action["titre"] in texte
