"""No query parameter can make a page fail: junk in any parameter a view reads gives the page,
filtered or not; a NUL byte (which PostgreSQL refuses in a text parameter, and which gave a
500 on the EPCI options and on the admin's filters) gives the 400 page, in French, on every
page. Run on SQLite and, with DATABASE_URL, on PostgreSQL, where the NUL byte failed."""

import html

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Phase
from candidatures.parties import PARTIES
from candidatures.services import candidature_ouvrir
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.factories import version
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.territoires.factories import EPCIFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Every view of ours that reads request.GET (grep request.GET), with each parameter it reads.
PAGES = {
    "portail:ateliers": [
        "q",
        "phase",
        "region",
        "departement",
        "annee",
        "a_traiter",
        "tri",
        "page",
    ],
    "candidatures:epci_options": ["departements", "epcis"],
    "candidatures:partie": ["ajouter"],
    "candidatures:a_instruire": [
        *("etat", "region", "departement", "thematique", "recue_du", "recue_au"),
        *("suivi", "tri", "page"),
    ],
    "candidatures:cohorte": ["annee"],
    "candidatures:dossier": ["version", "comparer"],
    "comptes:connexion": ["expiree"],
}


# And the admin's lists, with their search and each of their filters.
def _parametre_du_filtre(filtre):
    """A list_filter entry's query parameter: a field name, (field, filter class), or a
    SimpleListFilter with its own parameter."""
    if isinstance(filtre, str):
        return filtre
    if isinstance(filtre, tuple):
        return filtre[0]
    return filtre.parameter_name


ADMIN = {
    f"admin:{modele._meta.app_label}_{modele._meta.model_name}_changelist": [
        "q",
        "o",
        "p",
        *(_parametre_du_filtre(f) for f in modele_admin.list_filter),
    ]
    for modele, modele_admin in admin.site._registry.items()
}
ILLISIBLE = "Le portail n'a pas pu lire ce qui lui a été envoyé"


@pytest.fixture
def atelier(client):
    """An atelier with a deposited candidature, and a DGALN agent (staff) logged in."""
    agent = UtilisateurFactory(
        organisations=[OrganisationFactory(dgaln=True)], is_staff=True, is_superuser=True
    )
    client.force_login(agent)
    collectivite = OrganisationFactory()
    EPCIFactory(departement=collectivite.departement)
    atelier = AtelierFactory(phase=Phase.CANDIDATURE, collectivites=[collectivite])
    version(candidature_ouvrir(atelier=atelier), 1, timezone.now())
    return atelier


def _url(nom, atelier):
    if nom == "candidatures:partie":
        return reverse(nom, kwargs={"pk": atelier.pk, "partie": PARTIES[0].slug})
    if nom == "candidatures:dossier":
        return reverse(nom, args=[atelier.pk])
    return reverse(nom)


@pytest.mark.parametrize("valeur", ["zz", "-1", "9" * 5000])
@pytest.mark.parametrize(
    ("nom", "parametre"), [(nom, p) for nom, parametres in PAGES.items() for p in parametres]
)
def test_une_valeur_inattendue_donne_la_page(client, atelier, nom, parametre, valeur):
    response = client.get(_url(nom, atelier), {parametre: [valeur, "x"]})
    assert response.status_code == 200


@pytest.mark.parametrize("valeur", ["\x00", "35\x00"])
@pytest.mark.parametrize(
    ("nom", "parametre"),
    [(nom, p) for pages in (PAGES, ADMIN) for nom, parametres in pages.items() for p in parametres],
)
def test_un_octet_nul_donne_la_page_400_partout(client, atelier, nom, parametre, valeur):
    response = client.get(_url(nom, atelier), {parametre: valeur})
    assert response.status_code == 400
    assert ILLISIBLE in html.unescape(response.text)


def test_un_octet_nul_dans_le_nom_d_un_parametre_ou_le_chemin_donne_la_page_400(client, atelier):
    for url in (reverse("portail:ateliers") + "?%00=1", "/compte/mot-de-passe/%00/x/"):
        assert client.get(url).status_code == 400


def test_un_departement_inconnu_ne_propose_aucune_intercommunalite(client, atelier):
    """The options follow the form's rules: a value no département has is not a filter."""
    departement = atelier.collectivites.get().departement
    url = reverse("candidatures:epci_options")
    assert 'name="epcis"' in client.get(url, {"departements": [departement.pk]}).text
    response = client.get(url, {"departements": [departement.pk, "ZZ"]})
    assert response.status_code == 200
    assert 'name="epcis"' not in response.text
