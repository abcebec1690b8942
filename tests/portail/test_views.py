"""The pages that show several stages, for each role: who gets 200, 403 or 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ateliers.models import Atelier, Phase
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier():
    ddt = OrganisationFactory(ddt=True)
    collectivite = OrganisationFactory(departement=ddt.departement)
    return AtelierFactory(phase=Phase.CADRAGE, service_pilote=ddt, collectivites=[collectivite])


def _utilisateur(atelier, qui):
    if qui == "groupement":
        groupement = OrganisationFactory(groupement=True)
        Atelier.objects.filter(pk=atelier.pk).update(groupement=groupement)
        return UtilisateurFactory(organisations=[groupement])
    return {
        "pilote": lambda: UtilisateurFactory(organisations=[atelier.service_pilote]),
        "collectivite": lambda: UtilisateurFactory(organisations=[atelier.collectivites.get()]),
        "dgaln": lambda: membre(dgaln=True),
        "dreal": lambda: UtilisateurFactory(
            organisations=[
                OrganisationFactory(dreal=True, region=atelier.departements.get().region)
            ]
        ),
        "autre_ddt": lambda: membre(ddt=True),
        "autre_collectivite": lambda: membre(),
        "operateur": lambda: membre(operateur=True),
        "sans_organisation": UtilisateurFactory,
    }[qui]()


VOIENT = ["pilote", "collectivite", "dgaln", "dreal", "groupement"]
NE_VOIENT_PAS = ["autre_ddt", "autre_collectivite", "operateur", "sans_organisation"]


@pytest.mark.parametrize("qui", VOIENT + NE_VOIENT_PAS)
def test_l_accueil_et_la_liste_s_ouvrent_a_chacun(client, atelier, qui):
    client.force_login(_utilisateur(atelier, qui))

    assert client.get(reverse("portail:accueil")).status_code == 200
    assert client.get(reverse("portail:ateliers")).status_code == 200
    assert client.get(reverse("portail:ateliers"), {"a_traiter": "on"}).status_code == 200


@pytest.mark.parametrize(
    ("qui", "statut"), [(q, 200) for q in VOIENT] + [(q, 404) for q in NE_VOIENT_PAS]
)
def test_la_page_de_l_atelier_pour_chaque_role(client, atelier, qui, statut):
    client.force_login(_utilisateur(atelier, qui))

    assert client.get(reverse("portail:atelier", args=[atelier.pk])).status_code == statut


def test_un_visiteur_anonyme_voit_l_accueil_et_se_connecte_pour_le_reste(client, atelier):
    assert client.get(reverse("portail:accueil")).status_code == 200
    for url in [reverse("portail:ateliers"), reverse("portail:atelier", args=[atelier.pk])]:
        reponse = client.get(url)
        assert reponse.status_code == 302
        assert reponse.url.startswith(reverse("comptes:connexion"))


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("dgaln", 200),
        ("pilote", 403),
        ("collectivite", 403),
        ("dreal", 403),
        ("groupement", 403),
        ("operateur", 403),
        ("sans_organisation", 403),
    ],
)
def test_la_file_d_instruction_et_la_cohorte_sont_a_la_dgaln(client, atelier, qui, statut):
    client.force_login(_utilisateur(atelier, qui))

    assert client.get(reverse("candidatures:a_instruire")).status_code == statut
    assert client.get(reverse("candidatures:cohorte")).status_code == statut


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("pilote", 200),
        ("dreal", 200),
        ("collectivite", 200),
        ("dgaln", 403),
        ("groupement", 403),
        ("operateur", 403),
        ("sans_organisation", 403),
    ],
)
def test_qui_ouvre_une_precandidature(client, atelier, qui, statut):
    client.force_login(_utilisateur(atelier, qui))

    assert client.get(reverse("candidatures:ouvrir_precandidature")).status_code == statut


@pytest.mark.parametrize("qui", ["pilote", "collectivite", "groupement", "sans_organisation"])
def test_les_droits_de_la_navigation_ne_lisent_pas_les_permissions_de_django(client, atelier, qui):
    """The navigation asks rules, not the ModelBackend and its two queries on every page."""
    client.force_login(_utilisateur(atelier, qui))
    client.get(reverse("comptes:profil"))

    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse("comptes:profil")).status_code == 200

    assert not [r for r in requetes if "auth_permission" in r["sql"]]
