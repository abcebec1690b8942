"""Every write on a marché subséquent, one function per use case."""

from marches.services.accord_cadre import (
    accord_cadre_enregistrer,
    document_accord_cadre_deposer,
    titulaire_ajouter,
    titulaire_retirer,
)
from marches.services.cctp import (
    ConflitCctp,
    cctp_creer,
    cctp_partie_enregistrer,
    cctp_rectifier,
    marche_publier,
)
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
    "ConflitCctp",
    "TrancheSaisie",
    "accord_cadre_en_vigueur",
    "accord_cadre_enregistrer",
    "atelier_abandonner_en_marche",
    "cctp_creer",
    "cctp_partie_enregistrer",
    "cctp_rectifier",
    "credit_enregistrer",
    "document_accord_cadre_deposer",
    "execution_modifier",
    "execution_ouvrir",
    "marche_classer_sans_suite",
    "marche_ouvrir",
    "marche_publier",
    "paiement_enregistrer",
    "titulaire_ajouter",
    "titulaire_retirer",
    "tranche_liberer",
]
