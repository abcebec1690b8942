"""Every write on a marché subséquent, one function per use case."""

from marches.services.cctp import (
    ConflitCctp,
    cctp_creer,
    cctp_partie_enregistrer,
    cctp_rectifier,
    marche_publier,
)
from marches.services.ouverture import (
    accord_cadre_en_vigueur,
    atelier_abandonner_en_marche,
    marche_classer_sans_suite,
    marche_ouvrir,
)

__all__ = [
    "ConflitCctp",
    "accord_cadre_en_vigueur",
    "atelier_abandonner_en_marche",
    "cctp_creer",
    "cctp_partie_enregistrer",
    "cctp_rectifier",
    "marche_classer_sans_suite",
    "marche_ouvrir",
    "marche_publier",
]
