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
from marches.services.consultation import (
    consultation_clore,
    consultations_echues_clore,
    question_enregistrer,
    question_repondre,
    renoncement_enregistrer,
)
from marches.services.finances import (
    TrancheSaisie,
    credit_enregistrer,
    execution_modifier,
    execution_ouvrir,
    paiement_enregistrer,
    tranche_liberer,
)
from marches.services.offres import (
    audition_enregistrer,
    offre_declarer_inacceptable,
    offre_declarer_irreguliere,
    offre_demander_regularisation,
    offre_enregistrer,
    offre_regulariser,
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
    "audition_enregistrer",
    "cctp_creer",
    "cctp_partie_enregistrer",
    "cctp_rectifier",
    "consultation_clore",
    "consultations_echues_clore",
    "credit_enregistrer",
    "document_accord_cadre_deposer",
    "execution_modifier",
    "execution_ouvrir",
    "marche_classer_sans_suite",
    "marche_ouvrir",
    "marche_publier",
    "offre_declarer_inacceptable",
    "offre_declarer_irreguliere",
    "offre_demander_regularisation",
    "offre_enregistrer",
    "offre_regulariser",
    "paiement_enregistrer",
    "question_enregistrer",
    "question_repondre",
    "renoncement_enregistrer",
    "titulaire_ajouter",
    "titulaire_retirer",
    "tranche_liberer",
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
