"""The back-office cannot rewrite what the journal tells: no deletion, no revert, no update."""

import pytest
from django.db import ProgrammingError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from ateliers.models import Atelier, CodeAtelier, Evenement, Phase
from ateliers.services import journal_ecrire
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import membre
from tests.marques import SUR_POSTGRES

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier_eligible():
    """An atelier whose history holds an older phase than the one it is in."""
    atelier = AtelierFactory(phase=Phase.INSTRUCTION)
    atelier = Atelier.objects.get(pk=atelier.pk)
    atelier.declarer_eligible()
    atelier.save()
    return atelier


def test_l_historique_d_un_atelier_ne_propose_pas_de_retablir(admin_client, atelier_eligible):
    ancienne = atelier_eligible.history.earliest("history_date")
    url = reverse(
        "admin:ateliers_atelier_simple_history", args=[atelier_eligible.pk, ancienne.history_id]
    )

    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()

    assert admin_client.post(url, {"intitule": "Remis en arrière"}).status_code == 403
    atelier = Atelier.objects.get(pk=atelier_eligible.pk)
    assert atelier.phase == Phase.ELIGIBLE and atelier.intitule != "Remis en arrière"


def test_le_journal_et_les_ateliers_ne_se_suppriment_pas_dans_l_admin(admin_client):
    atelier = AtelierFactory()
    evenement = journal_ecrire(
        code=CodeAtelier.OUVERT, objet=atelier, libelle="Pré-candidature ouverte"
    )

    for modele, objet in [("atelier", atelier), ("evenement", evenement)]:
        change = admin_client.get(reverse(f"admin:ateliers_{modele}_change", args=[objet.pk]))
        assert change.status_code == 200 and 'class="deletelink"' not in change.content.decode()
        suppression = reverse(f"admin:ateliers_{modele}_delete", args=[objet.pk])
        assert admin_client.post(suppression, {"post": "yes"}).status_code == 403
    assert Atelier.objects.filter(pk=atelier.pk).exists()
    assert Evenement.objects.filter(pk=evenement.pk).exists()


def test_le_journal_retient_son_auteur_et_son_organisation():
    atelier = AtelierFactory()
    par = membre(ddt=True)
    evenement = journal_ecrire(
        code=CodeAtelier.OUVERT, objet=atelier, par=par, atelier=atelier, libelle="Atelier créé"
    )
    with pytest.raises(ProtectedError):
        par.delete()
    with pytest.raises(ProtectedError):
        evenement.organisation.delete()
    assert Evenement.objects.get(pk=evenement.pk).par == par


@pytest.mark.parametrize(
    "ecrire",
    [
        pytest.param(
            lambda lignes: lignes.update(libelle="Réécrit"), marks=SUR_POSTGRES, id="update"
        ),
        pytest.param(lambda lignes: lignes.delete(), marks=SUR_POSTGRES, id="delete"),
    ],
)
def test_la_base_refuse_de_modifier_ou_d_effacer_le_journal(ecrire):
    atelier = AtelierFactory()
    evenement = journal_ecrire(
        code=CodeAtelier.OUVERT, objet=atelier, libelle="Pré-candidature ouverte"
    )
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        ecrire(Evenement.objects.filter(pk=evenement.pk))
    assert Evenement.objects.get(pk=evenement.pk).libelle == "Pré-candidature ouverte"
