"""No query parameter can make a page fail: a NUL byte (which PostgreSQL refuses in a text
parameter) or junk in any parameter a view reads gives the page, filtered or not, never a 500.
Run on SQLite and, with DATABASE_URL, on PostgreSQL, where the NUL byte failed."""

import pytest
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

# Every view that reads request.GET (grep request.GET), with each parameter it reads.
PAGES = {
    "ateliers:liste": ["q", "phase", "region", "departement", "annee", "a_traiter", "tri", "page"],
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


def _url(nom, atelier):
    if nom == "candidatures:partie":
        return reverse(nom, kwargs={"pk": atelier.pk, "partie": PARTIES[0].slug})
    if nom == "candidatures:dossier":
        return reverse(nom, args=[atelier.pk])
    return reverse(nom)


@pytest.mark.parametrize("valeur", ["\x00", "35\x00", "-1", "9" * 5000])
@pytest.mark.parametrize(
    ("nom", "parametre"), [(nom, p) for nom, parametres in PAGES.items() for p in parametres]
)
def test_un_parametre_hostile_ne_fait_jamais_une_erreur_serveur(client, nom, parametre, valeur):
    client.force_login(UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)]))
    collectivite = OrganisationFactory()
    EPCIFactory(departement=collectivite.departement)
    atelier = AtelierFactory(phase=Phase.CANDIDATURE, collectivites=[collectivite])
    version(candidature_ouvrir(atelier=atelier), 1, timezone.now())
    response = client.get(_url(nom, atelier), {parametre: [valeur, "x"]})
    assert response.status_code == 200


def test_un_departement_illisible_ne_propose_aucune_intercommunalite(client):
    """The options follow the form's rules: a value no département has is not a filter."""
    client.force_login(UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)]))
    epci = EPCIFactory()
    url = reverse("candidatures:epci_options")
    assert epci.nom in client.get(url, {"departements": [epci.departement.pk]}).text
    response = client.get(url, {"departements": [epci.departement.pk, "\x00"]})
    assert response.status_code == 200
    assert "<option" not in response.text
