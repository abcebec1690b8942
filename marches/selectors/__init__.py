"""Reads on marchés used in more than one place, above all what a user may see."""

from marches.selectors.attentes import attentes
from marches.selectors.consultation import (
    consultation_actuelle,
    journal_visible,
    mes_consultations,
    temps_restant,
)
from marches.selectors.visibilite import (
    consultations_du_groupement,
    marche_actuel,
    marches_visibles,
)

__all__ = ["attentes", "consultations_du_groupement", "marche_actuel", "marches_visibles"]
__all__ += ["consultation_actuelle", "journal_visible", "mes_consultations", "temps_restant"]
