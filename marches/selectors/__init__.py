"""Reads on marchés used in more than one place, above all what a user may see."""

from marches.selectors.attentes import attentes
from marches.selectors.visibilite import (
    consultations_du_groupement,
    marche_actuel,
    marches_visibles,
)

__all__ = ["attentes", "consultations_du_groupement", "marche_actuel", "marches_visibles"]
from marches.selectors.analyse import (
    analyse_de,
    consultation_analysee,
    lettres_du_groupement,
    membres_du_jury,
    rapport_actuel,
    resultat_du_groupement,
)

__all__ += [
    "analyse_de",
    "consultation_analysee",
    "lettres_du_groupement",
    "membres_du_jury",
    "rapport_actuel",
    "resultat_du_groupement",
]
