"""Every write on a marché subséquent, one function per use case."""

from marches.services.accord_cadre import (
    accord_cadre_enregistrer,
    document_accord_cadre_deposer,
    titulaire_ajouter,
    titulaire_retirer,
)
from marches.services.ouverture import (
    accord_cadre_en_vigueur,
    atelier_abandonner_en_marche,
    marche_classer_sans_suite,
    marche_ouvrir,
)

__all__ = [
    "accord_cadre_en_vigueur",
    "accord_cadre_enregistrer",
    "atelier_abandonner_en_marche",
    "document_accord_cadre_deposer",
    "marche_classer_sans_suite",
    "marche_ouvrir",
    "titulaire_ajouter",
    "titulaire_retirer",
]
