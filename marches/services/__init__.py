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
from marches.services.analyse import (
    offre_noter,
    rapport_produire,
    rapport_signer,
)
from marches.services.attribution import (
    marche_attribuer,
    marche_declarer_infructueux,
    marche_notifier,
    marche_relancer,
)

__all__ += [
    "marche_attribuer",
    "marche_declarer_infructueux",
    "marche_notifier",
    "marche_relancer",
    "offre_noter",
    "rapport_produire",
    "rapport_signer",
]
