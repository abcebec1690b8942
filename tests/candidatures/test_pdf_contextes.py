"""The context functions of candidatures' printed documents: plain values, read in a fixed
number of queries whatever the number of rows they print."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ateliers.models import Phase
from candidatures.models import Candidature, Decision, Porteurs, VersionCandidature
from candidatures.pdf import contexte_courrier, contexte_decision, contexte_dossier
from candidatures.services import candidature_ouvrir
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, membre
from tests.territoires.factories import DepartementFactory, EPCIFactory

pytestmark = pytest.mark.django_db


def _candidature(n):
    """A candidature whose atelier and note name n collectivités, départements and EPCI."""
    atelier = AtelierFactory(
        phase=Phase.CANDIDATURE,
        collectivites=OrganisationFactory.create_batch(n),
        departements=DepartementFactory.create_batch(n),
    )
    atelier.epcis.set(EPCIFactory.create_batch(n))
    candidature = candidature_ouvrir(atelier=atelier)
    Porteurs.objects.filter(candidature=candidature).update(
        collectivites=[{"organisation": f"Collectivité {i}", "elu": "Élu"} for i in range(n)]
    )
    # As the render gets it: loaded afresh, nothing cached on it.
    return Candidature.objects.get(pk=candidature.pk)


def _requetes(fonction, source):
    with CaptureQueriesContext(connection) as requetes:
        contexte = fonction(source)
    return len(requetes.captured_queries), contexte


def test_un_modele_de_courrier_se_lit_en_cinq_requetes():
    petit, contexte = _requetes(contexte_courrier, _candidature(2))
    grand, _ = _requetes(contexte_courrier, _candidature(4))
    assert petit == grand == 5
    courrier = contexte["courrier"]
    assert len(courrier["collectivites"]) == len(courrier["departements"]) == 2
    assert len(courrier["epcis"]) == 2


def _version(n):
    candidature = _candidature(n)
    parties = [
        {"slug": f"p{i}", "titre": f"Partie {i}", "valeurs": {}, "lisible": []} for i in range(n)
    ]
    return VersionCandidature.objects.create(
        candidature=candidature,
        numero=1,
        depose_par=membre(),
        contenu={"titre": "Vallée", "parties": parties, "courriers": []},
    )


def test_le_dossier_d_une_version_se_lit_en_une_requete():
    petit, contexte = _requetes(contexte_dossier, _version(2))
    grand, _ = _requetes(contexte_dossier, _version(4))
    assert petit == grand == 1
    assert contexte["version"]["titre"] == "Vallée"
    assert len(contexte["version"]["parties"]) == 2
    assert contexte["atelier"]["reference"].startswith("AL-")


def _decision(n):
    return Decision.objects.create(
        candidature=_candidature(n),
        numero=1,
        eligible=True,
        motivation="Motivée.",
        date_decision=datetime.date(2026, 3, 2),
        decidee_par=membre(dgaln=True),
    )


def test_la_lettre_de_decision_se_lit_en_deux_requetes():
    petit, contexte = _requetes(contexte_decision, _decision(2))
    grand, _ = _requetes(contexte_decision, _decision(4))
    assert petit == grand == 2
    assert len(contexte["atelier"]["collectivites"]) == 2
    assert contexte["atelier"]["service_pilote"].startswith("DDT")
    assert contexte["decision"]["eligible"] and not contexte["decision"]["est_correction"]
