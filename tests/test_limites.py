"""No form of the note can make a request that Django refuses with a bare « Bad Request »: the
largest request each part accepts is worked out from its fields and blocks, and stays under
the server's limits (DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_MEMORY_SIZE)."""

import html
import io

import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from ateliers.models import Phase
from candidatures.models import Objet
from candidatures.parties import PARTIES
from candidatures.services import candidature_ouvrir
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db

# The worst character: 4 bytes in UTF-8, 12 once percent-encoded (%F0%9F%8C%8A).
OCTETS_PAR_CARACTERE = 12
# A value without a length limit of its own: a date, a number, a choice, a uuid.
VALEUR_COURTE = 64


def _valeurs(champ):
    """How many values this field can send, and the longest of them in characters."""
    if isinstance(champ, forms.FileField):
        return 0, 0  # sent as a file, outside DATA_UPLOAD_MAX_MEMORY_SIZE
    if isinstance(champ, forms.ModelMultipleChoiceField):
        return champ.queryset.count(), VALEUR_COURTE
    if isinstance(champ, forms.MultipleChoiceField):
        return len(champ.choices), VALEUR_COURTE
    return 1, getattr(champ, "max_length", None) or VALEUR_COURTE


def requete_maximale(formulaire):
    """(fields, bytes) of the largest url-encoded POST a part's form accepts."""
    champs, octets = 2, 200  # the CSRF token and the version
    elements = [("", formulaire.base_fields, 1)]
    elements += [
        (
            f"{nom}-0-",
            {**bloc.formulaire.base_fields, "DELETE": forms.BooleanField()},
            bloc.max_lignes,
        )
        for nom, bloc in formulaire.blocs.items()
    ]
    for prefixe, champs_du_formulaire, lignes in elements:
        if prefixe:
            champs, octets = champs + 4, octets + 4 * 60  # the management form
        for nom, champ in champs_du_formulaire.items():
            nombre, longueur = _valeurs(champ)
            champs += nombre * lignes
            octets += nombre * lignes * (len(prefixe + nom) + 2 + longueur * OCTETS_PAR_CARACTERE)
    return champs, octets


@pytest.fixture
def referentiels(thematiques):
    call_command("charger_referentiels", stdout=io.StringIO())


@pytest.mark.parametrize("partie", PARTIES, ids=lambda p: p.slug)
def test_la_plus_grande_saisie_d_une_partie_passe_les_limites_du_serveur(referentiels, partie):
    champs, octets = requete_maximale(partie.formulaire)
    assert champs < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, (partie.slug, champs)
    assert octets < settings.DATA_UPLOAD_MAX_MEMORY_SIZE, (partie.slug, octets)


def test_un_texte_a_la_limite_en_caracteres_de_quatre_octets_s_enregistre(client, thematiques):
    collectivite = OrganisationFactory()
    atelier = AtelierFactory(phase=Phase.CANDIDATURE, collectivites=[collectivite])
    candidature = candidature_ouvrir(atelier=atelier)
    client.force_login(UtilisateurFactory(organisations=[collectivite]))
    vague = "\U0001f30a"
    response = client.post(
        reverse("candidatures:partie", args=[atelier.pk, "objet"]),
        {
            "version": 0,
            "titre": vague * 200,
            "problematique": vague * 5000,
            "enjeux": vague * 5000,
            "contexte": vague * 5000,
        },
    )
    assert response.status_code == 302
    assert Objet.objects.get(candidature=candidature).enjeux == vague * 5000


def test_une_demande_trop_grosse_recoit_une_page_en_francais(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(UtilisateurFactory(organisations=[OrganisationFactory(ddt=True)]))
    response = client.post(
        reverse("candidatures:ouvrir_precandidature"), {f"champ{n}": "x" for n in range(20)}
    )
    assert response.status_code == 400
    assert "la demande était trop volumineuse ou mal formée" in html.unescape(response.text)
