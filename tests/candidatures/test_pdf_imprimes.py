"""Every printed document of templates/pdf/ is a tagged PDF/A-3u whose headings form an outline
(one H1, then H2…): the letters and the decision included, and the dossier with its signed
letters embedded."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from ateliers.models import Phase
from ateliers.services import atelier_demander_fiche
from candidatures.models import Courrier, Decision
from candidatures.services import (
    DECISION_GABARIT,
    candidature_deposer,
    courrier_demander_modele,
)
from documents.models import Document
from documents.services import document_demander
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courriers
from tests.comptes.factories import OrganisationFactory, membre
from tests.documents.pdfa import lire_pdfa, niveaux_des_titres, verifier_plan
from tests.marches.cctp_outils import document_cctp
from tests.marches.test_analyse_pdf import IMPRIMES_ANALYSE

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier():
    return AtelierFactory(
        phase=Phase.CANDIDATURE,
        collectivites=[OrganisationFactory(nom="Communauté du Val")],
        intitule="Vallée",
    )


def _fiche(candidature, porteur):
    return atelier_demander_fiche(atelier=candidature.atelier, par=porteur)


def _courrier(type_courrier):
    def demander(candidature, porteur):
        return courrier_demander_modele(
            candidature=candidature, type_courrier=type_courrier, par=porteur
        )

    return demander


def _decision(candidature, porteur):
    decision = Decision.objects.create(
        candidature=candidature,
        numero=1,
        eligible=True,
        motivation="Un projet partagé par les trois intercommunalités.",
        date_decision=datetime.date(2026, 3, 2),
        decidee_par=membre(dgaln=True),
    )
    return document_demander(
        source=decision,
        gabarit=DECISION_GABARIT,
        contexte="candidatures.pdf.contexte_decision",
        titre="Décision",
        version=1,
        par=porteur,
    )


def _dossier(candidature, porteur):
    completer(candidature, porteur)
    deposer_courriers(candidature, porteur)
    version = candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)
    return Document.objects.get(source_id=str(version.pk))


def _cctp(candidature, porteur):
    # The marchés' CCTP, published from a note of its own (tests/marches/test_cctp*.py).
    return document_cctp()


IMPRIMES = {
    "cctp.html": _cctp,
    "fiche_atelier.html": _fiche,
    "decision_eligibilite.html": _decision,
    "dossier_candidature.html": _dossier,
    **{f"courrier_{t}.html": _courrier(t) for t in Courrier.Type},
    # marches: the rapport d'analyse and the letters to the groupements.
    **IMPRIMES_ANALYSE,
}


def test_chaque_gabarit_imprime_est_verifie_ici():
    dossier = Path(settings.BASE_DIR) / "templates" / "pdf"
    gabarits = {p.name for p in dossier.glob("*.html") if not p.name.startswith("_")}
    assert gabarits - {"base.html"} == set(IMPRIMES)


@pytest.mark.parametrize("gabarit", sorted(IMPRIMES))
def test_le_pdf_est_pdf_a_3u_balise_avec_un_plan_de_titres(
    gabarit, candidature, porteur, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = IMPRIMES[gabarit](candidature, porteur)
    document.refresh_from_db()
    assert document.gabarit == f"pdf/{gabarit}"
    assert document.statut == Document.Statut.PRET, document.erreur
    with document.fichier.open("rb") as flux:
        lecteur = lire_pdfa(flux.read())
    verifier_plan(niveaux_des_titres(lecteur))
