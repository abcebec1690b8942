"""The feuille de route's rows: the database refuses a negative amount, an end before the
start, two porteurs at once, two actions with one number; the selector orders the plan."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from livrables.models import Action, Axe, Financement, Priorite, SourceFinancement
from livrables.selectors.feuille_route import actions_de, reste_a_financer, totaux
from tests.livrables.feuille_route_aide import brouillon, feuille

pytestmark = pytest.mark.django_db


def _action(livrable, **champs):
    axe = Axe.objects.get_or_create(livrable=livrable, intitule="Axe")[0]
    return Action(livrable=livrable, numero=champs.pop("numero", 1), axe=axe, titre="T", **champs)


@pytest.mark.parametrize(
    "champs",
    [
        {"cout_estime": Decimal("-1")},
        {"debut": datetime.date(2028, 1, 1), "fin": datetime.date(2027, 1, 1)},
        {"priorite": 7},
    ],
)
def test_la_base_refuse_une_action_incoherente(liv, champs):
    action = _action(feuille(liv.atelier), **champs)
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_la_base_refuse_deux_porteurs(liv):
    from comptes.models import Organisation

    action = _action(
        feuille(liv.atelier),
        porteur=Organisation.objects.get(pk=liv.atelier.collectivites.get().pk),
        porteur_nom="Syndicat",
    )
    with pytest.raises(ValidationError) as erreur:
        action.full_clean()
    assert "pas les deux" in str(erreur.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_la_base_refuse_un_numero_en_double_et_un_montant_negatif(liv):
    livrable = feuille(liv.atelier)
    action = _action(livrable)
    action.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _action(livrable).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Financement.objects.create(
            action=action, source=SourceFinancement.EPCI, montant=Decimal("-5")
        )


def test_une_fin_le_jour_du_debut_est_acceptee(liv):
    jour = datetime.date(2027, 3, 1)
    action = _action(feuille(liv.atelier), debut=jour, fin=jour, cout_estime=Decimal(0))
    action.full_clean()
    action.save()


def test_les_actions_sont_rangees_par_axe_theme_et_priorite(liv):
    livrable = brouillon(liv.atelier, nombre=12, axes=3)
    actions = list(actions_de(livrable))
    cles = [
        (a.axe.ordre, (a.thematique.ordre, a.thematique.libelle), a.priorite, a.ordre)
        for a in actions
    ]
    assert cles == sorted(cles)
    assert len(actions) == 12


def test_le_reste_a_financer_et_les_totaux(liv):
    livrable = brouillon(liv.atelier, nombre=2)
    actions = list(actions_de(livrable))
    assert reste_a_financer(actions[0]) == Decimal("35000.00")
    assert totaux(actions) == {
        "cout": Decimal("200000.00"),
        "finance": Decimal("130000.00"),
        "reste": Decimal("70000.00"),
    }
    actions[0].cout_estime = None
    assert reste_a_financer(actions[0]) is None
    assert Priorite.ELEVEE < Priorite.BASSE
