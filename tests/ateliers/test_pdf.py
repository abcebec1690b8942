"""The fiche atelier's context function: plain values, read in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ateliers.models import CodeAtelier
from ateliers.pdf import contexte_fiche
from ateliers.services import journal_ecrire
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.territoires.factories import DepartementFactory, EPCIFactory

pytestmark = pytest.mark.django_db


def _atelier(n):
    """An atelier with n collectivités, départements, EPCI and journal lines."""
    collectivites = OrganisationFactory.create_batch(n)
    atelier = AtelierFactory(
        collectivites=collectivites,
        departements=DepartementFactory.create_batch(n),
        operateur=OrganisationFactory(operateur=True),
        groupement=OrganisationFactory(groupement=True),
    )
    atelier.epcis.set(EPCIFactory.create_batch(n))
    for collectivite in collectivites:
        auteur = UtilisateurFactory(organisations=[collectivite])
        journal_ecrire(
            code=CodeAtelier.OUVERT,
            objet=atelier,
            libelle="Essai",
            par=auteur,
            commentaire="Pourquoi",
        )
    return atelier


def _requetes(atelier):
    with CaptureQueriesContext(connection) as requetes:
        contexte = contexte_fiche(atelier)
    return len(requetes.captured_queries), contexte


def test_la_fiche_se_lit_en_cinq_requetes_quel_que_soit_le_nombre_de_lignes():
    petite, contexte = _requetes(_atelier(2))
    grande, _ = _requetes(_atelier(4))
    assert petite == grande == 5
    fiche = contexte["atelier"]
    assert len(fiche["collectivites"]) == len(fiche["departements"]) == len(fiche["epcis"]) == 2
    assert len(contexte["journal"]) == 2
    assert fiche["groupement"].startswith("Groupement")
    assert contexte["journal"][0]["organisation"] in fiche["collectivites"]
