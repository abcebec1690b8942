"""The pages that show several stages, for each role: who gets 200, 403 or 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ateliers.models import Atelier, Phase
from comptes.dates import date_longue
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


def test_une_ligne_de_la_liste_montre_reference_phase_territoire_et_porteurs(client):
    from django.test.html import parse_html
    from django.utils.html import escape

    from tests.territoires.factories import DepartementFactory

    ddt = OrganisationFactory(ddt=True, nom="DDT & co")
    atelier = AtelierFactory(
        phase=Phase.SESSION_1,
        service_pilote=ddt,
        departements=[DepartementFactory(nom="Lot"), DepartementFactory(nom="Cantal")],
        collectivites=[OrganisationFactory(nom="Figeac <Communauté>")],
        intitule="Causse & vallée",
    )
    sans_rien = AtelierFactory(phase=Phase.CLOTURE)
    sans_rien.departements.clear()
    Atelier.objects.filter(pk=sans_rien.pk).update(service_pilote=None)
    premier, second = atelier.departements.all()
    client.force_login(membre(dgaln=True))

    page = parse_html(client.get(reverse("portail:ateliers")).text)

    for a, territoire, porteurs in (
        (
            atelier,
            f"{premier.nom} ({premier.code}), {second.nom} ({second.code})"
            f'<br><span class="fr-text--xs">{premier.region.nom}</span>',
            'Figeac &lt;Communauté&gt;<br><span class="fr-text--xs">DDT &amp; co</span>',
        ),
        (sans_rien, "", ""),
    ):
        ligne = parse_html(
            f'<tr><td><a href="{reverse("portail:atelier", args=[a.pk])}">{a.reference}</a></td>'
            f"<td>{escape(a.intitule)}</td><td>{_badge(a)}</td>"
            f"<td>{territoire}</td><td>{porteurs}</td><td>{_date(a.cree_le)}</td></tr>"
        )
        assert ligne in page


def _badge(atelier):
    famille = {Phase.SESSION_1: "info", Phase.CLOTURE: "success"}[atelier.phase]
    return (
        f'<span class="fr-badge fr-badge--sm fr-badge--{famille} fr-badge--no-icon">'
        f"{atelier.get_phase_display()}</span>"
    )


def _date(moment):

    return date_longue(moment)
