"""Reads on marchés used in more than one place, above all what a user may see."""

from marches.selectors.attentes import attentes
from marches.selectors.finances import (
    SituationFinanciere,
    annees_de_notification,
    attentes_finances,
    montant_propose,
    situation_financiere,
    totaux_nationaux,
)
from marches.selectors.visibilite import (
    consultations_du_groupement,
    marche_actuel,
    marches_visibles,
)

__all__ = [
    "SituationFinanciere",
    "annees_de_notification",
    "attentes",
    "attentes_finances",
    "consultations_du_groupement",
    "marche_actuel",
    "marches_visibles",
    "montant_propose",
    "situation_financiere",
    "totaux_nationaux",
]
