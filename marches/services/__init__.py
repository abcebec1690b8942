"""Every write on a marché subséquent, one function per use case."""

from marches.services.consultation import (
    consultation_clore,
    consultations_echues_clore,
    question_enregistrer,
    question_repondre,
    renoncement_enregistrer,
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
    "accord_cadre_en_vigueur",
    "atelier_abandonner_en_marche",
    "marche_classer_sans_suite",
    "marche_ouvrir",
]
__all__ += [
    "audition_enregistrer",
    "consultation_clore",
    "consultations_echues_clore",
    "offre_declarer_inacceptable",
    "offre_declarer_irreguliere",
    "offre_demander_regularisation",
    "offre_enregistrer",
    "offre_regulariser",
    "question_enregistrer",
    "question_repondre",
    "renoncement_enregistrer",
]
