import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ateliers.models import Atelier
from candidatures.models import Contact, Objet
from comptes.models import MembreGroupement, Organisation, Utilisateur
from comptes.validators import PlageDeDates, valider_une_seule_ligne

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "texte", ["a\nb", "a\rb", "a\tb", "a\x00b", "a\x1bb", "a\x85b", "a\u2028b", "a\x7fb"]
)
def test_un_caractere_de_controle_est_refuse(texte):
    with pytest.raises(ValidationError) as erreur:
        valider_une_seule_ligne(texte)
    assert erreur.value.messages == [
        "Ce champ ne peut pas contenir de retour à la ligne ni de caractère de contrôle."
    ]


@pytest.mark.parametrize("texte", ["Vallée de l'Aude — 2026", "Noël « Ça » ‑ été", ""])
def test_un_texte_sur_une_ligne_est_accepte(texte):
    valider_une_seule_ligne(texte)


@pytest.mark.parametrize(
    ("modele", "champ"),
    [
        (Utilisateur, "prenom"),
        (Utilisateur, "nom"),
        (Organisation, "nom"),
        (MembreGroupement, "nom"),
        (Atelier, "intitule"),
        (Objet, "titre"),
        (Contact, "nom"),
        (Contact, "organisation"),
    ],
)
def test_les_noms_et_les_titres_qui_vont_dans_les_courriels_tiennent_sur_une_ligne(modele, champ):
    """Names and titles reach e-mail subjects and headers: the admin's forms (which run the
    model's validators) refuse a line break there as the portal's forms do."""
    assert valider_une_seule_ligne in modele._meta.get_field(champ).validators


def test_une_plage_de_dates_inclut_ses_bornes_et_les_dit():
    plage = PlageDeDates(datetime.date(2000, 1, 1), datetime.date(2046, 12, 31))
    plage(datetime.date(2000, 1, 1))
    plage(datetime.date(2046, 12, 31))
    with pytest.raises(ValidationError) as erreur:
        plage(datetime.date(1999, 12, 31))
    assert erreur.value.messages == [
        "La date doit être comprise entre le 1er janvier 2000 et le 31 décembre 2046."
    ]


def test_une_plage_jusqu_a_aujourd_hui_suit_le_jour():
    plage = PlageDeDates(datetime.date(2019, 1, 1))
    plage(timezone.localdate())
    with pytest.raises(ValidationError, match="et aujourd'hui"):
        plage(timezone.localdate() + datetime.timedelta(days=1))
