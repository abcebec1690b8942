"""Every write on a marché subséquent, one function per use case."""

from marches.services.ouverture import (
    accord_cadre_en_vigueur,
    atelier_abandonner_en_marche,
    marche_classer_sans_suite,
    marche_ouvrir,
)

__all__ = [
    "accord_cadre_en_vigueur",
    "atelier_abandonner_en_marche",
    "marche_classer_sans_suite",
    "marche_ouvrir",
]
