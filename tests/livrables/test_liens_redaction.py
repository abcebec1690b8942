"""The page of each livrable leads to where it is written: the groupement writes it there, the
others who follow the atelier read it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EDITEURS = {
    "note_cadrage": ("livrables:rediger", True),
    "carnet_suivi": ("livrables:rediger", True),
    "rapport_final": ("livrables:rediger", True),
    "feuille_route": ("livrables:feuille", False),
    "livret": ("livrables:livret", False),
}


def _lien(nom, atelier, type, avec_type):
    return reverse(nom, args=[atelier.pk, type] if avec_type else [atelier.pk])


@pytest.mark.parametrize("type", sorted(EDITEURS))
def test_le_groupement_trouve_l_editeur_de_chaque_livrable(client, liv, type):
    nom, avec_type = EDITEURS[type]
    client.force_login(liv.groupement)
    page = client.get(reverse("livrables:livrable", args=[liv.atelier.pk, type]))
    lien = _lien(nom, liv.atelier, type, avec_type)
    assert f'href="{lien}"' in page.text
    assert client.get(lien).status_code == 200


@pytest.mark.parametrize("type", ["feuille_route", "livret"])
def test_le_pilote_lit_la_feuille_de_route_et_le_livret(client, liv, type):
    nom, _ = EDITEURS[type]
    client.force_login(liv.pilote)
    page = client.get(reverse("livrables:livrable", args=[liv.atelier.pk, type]))
    lien = _lien(nom, liv.atelier, type, False)
    assert f'href="{lien}"' in page.text
    assert "Lire" in page.text
    assert client.get(lien).status_code == 200
