"""Every write on a marché subséquent, one function per use case."""

from marches.services.finances import (
    TrancheSaisie,
    credit_enregistrer,
    execution_modifier,
    execution_ouvrir,
    paiement_enregistrer,
    tranche_liberer,
)
from marches.services.ouverture import (
    accord_cadre_en_vigueur,
    atelier_abandonner_en_marche,
    marche_classer_sans_suite,
    marche_ouvrir,
)

__all__ = [
    "TrancheSaisie",
    "accord_cadre_en_vigueur",
    "atelier_abandonner_en_marche",
    "credit_enregistrer",
    "execution_modifier",
    "execution_ouvrir",
    "marche_classer_sans_suite",
    "marche_ouvrir",
    "paiement_enregistrer",
    "tranche_liberer",
]
