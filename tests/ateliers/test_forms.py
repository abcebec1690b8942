"""The filters of the list of ateliers."""

import pytest
from django import forms
from django.test.html import parse_html

from ateliers.forms import AtelierFiltreForm, SelectLeger
from tests.territoires.factories import DepartementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("valeur", ["", "a", None, "inconnue"])
def test_le_select_leger_ecrit_le_meme_html_que_celui_de_django(valeur):
    choix = [("", "Toutes"), ("a", "A & <b>"), ("b", "Bé")]
    attrs = {"class": "fr-select", "aria-describedby": "aide"}

    attendu = forms.Select(choices=choix, attrs=attrs).render("phase", valeur, {"id": "id_phase"})
    obtenu = SelectLeger(choices=choix, attrs=attrs).render("phase", valeur, {"id": "id_phase"})

    assert parse_html(obtenu) == parse_html(attendu)


def test_les_filtres_listent_les_departements_et_gardent_le_choix():
    choisi = DepartementFactory(nom="Lot")
    DepartementFactory(nom="Cantal")

    rendu = str(AtelierFiltreForm({"departement": choisi.pk})["departement"])

    assert f'<option value="{choisi.pk}" selected>Lot ({choisi.pk})</option>' in rendu
    assert "Cantal (" in rendu


def test_le_select_leger_d_un_choix_de_modele_ecrit_le_meme_html_en_une_requete(
    django_assert_num_queries,
):
    DepartementFactory(nom="Lot")
    choisi = DepartementFactory(nom="Cantal & <Aubrac>")
    champ = AtelierFiltreForm({"departement": choisi.pk})["departement"]
    attrs = {"id": "id_departement", "class": "fr-select"}
    attendu = forms.Select(choices=champ.field.choices).render("departement", choisi.pk, attrs)

    # Django's own iterator reads them through a server-side cursor (several round trips).
    with django_assert_num_queries(1):
        obtenu = champ.field.widget.render("departement", choisi.pk, attrs)

    assert parse_html(obtenu) == parse_html(attendu)
