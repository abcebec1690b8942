"""A document's data comes from the context function its app names (ADR 0013): only a public
function of an installed app's `pdf` module is ever imported, and a document that names none
is refused with a clear error."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from ateliers.models import Atelier
from documents.models import Document
from documents.services import RenduImpossible, document_demander
from documents.tasks import document_rendre
from tests.ateliers.factories import AtelierFactory

pytestmark = pytest.mark.django_db

FICHE = "documents_essai/fiche.html"


@pytest.fixture
def atelier():
    return AtelierFactory(intitule="Vallée de la Dordogne")


def _document(atelier, contexte, gabarit=FICHE):
    return Document.objects.create(
        source_type=ContentType.objects.get_for_model(Atelier),
        source_id=str(atelier.pk),
        gabarit=gabarit,
        contexte=contexte,
        titre="Fiche de l'atelier",
        version_source="1",
    )


def _echec(document, erreur):
    with pytest.raises(RenduImpossible, match=erreur):
        document_rendre.apply(kwargs={"document_id": document.pk})
    document.refresh_from_db()
    assert document.statut == Document.Statut.ECHEC
    assert document.tentatives == 1
    return document


@pytest.mark.parametrize(
    "chemin",
    [
        "os.system",
        "documents.services.rendus.document_rendre",
        "ateliers.pdf._nom",
        "ateliers.pdf",
        "tests.ateliers.pdf.contexte_fiche",
        "",
    ],
)
def test_seule_une_fonction_d_un_module_pdf_est_demandee(atelier, chemin):
    with pytest.raises(ValueError, match="Fonction de contexte refusée"):
        document_demander(
            source=atelier, gabarit=FICHE, contexte=chemin, titre="Fiche", version=1, par=None
        )
    assert not Document.objects.exists()


def test_le_rendu_refuse_un_chemin_ecrit_a_la_main_dans_la_base(atelier):
    document = _echec(_document(atelier, "os.system"), "Fonction de contexte refusée")
    assert "os.system" in document.erreur


def test_le_rendu_refuse_une_fonction_absente_du_module_pdf(atelier):
    _echec(_document(atelier, "ateliers.pdf.contexte_absent"), "contexte_absent")


def test_un_document_sans_fonction_de_contexte_est_refuse_clairement(atelier):
    document = _echec(_document(atelier, ""), "ne nomme pas de fonction de contexte")
    assert "demandez-le à nouveau" in document.erreur


def test_la_fonction_doit_rendre_un_dictionnaire_sans_les_cles_du_rendu(atelier, monkeypatch):
    monkeypatch.setattr("ateliers.pdf.contexte_fiche", lambda atelier: {"document": "x"})
    _echec(_document(atelier, "ateliers.pdf.contexte_fiche"), "doit rendre un dictionnaire")


def test_la_migration_nomme_la_fonction_des_documents_deja_demandes(atelier):
    migration = importlib.import_module(
        "documents.migrations.0005_contexte_des_documents_existants"
    )
    fiche = _document(atelier, "", gabarit="pdf/fiche_atelier.html")
    autre = _document(atelier, "", gabarit="pdf/inconnu.html")
    migration.nommer_les_contextes(apps, None)
    fiche.refresh_from_db()
    autre.refresh_from_db()
    assert fiche.contexte == "ateliers.pdf.contexte_fiche"
    assert autre.contexte == ""
    assert set(migration.CONTEXTES.values()) <= {
        f"{module}.{nom}"
        for module in ("ateliers.pdf", "candidatures.pdf")
        for nom in dir(importlib.import_module(module))
        if nom.startswith("contexte_")
    }
