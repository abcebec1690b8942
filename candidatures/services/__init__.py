"""Every write on pré-candidatures and candidatures, by use case."""

from candidatures.services.courriers import courrier_demander_modele, courrier_deposer
from candidatures.services.depot import DossierIncomplet, candidature_deposer
from candidatures.services.echanges import (
    annotation_ecrire,
    avis_demander,
    avis_rendre,
    message_envoyer,
)
from candidatures.services.instruction import (
    DECISION_GABARIT,
    candidature_corriger_decision,
    candidature_decider,
    candidature_demander_complements,
    candidature_suivre,
)
from candidatures.services.note import ConflitDeVersion, partie_enregistrer
from candidatures.services.precandidature import (
    atelier_abandonner_en_candidature,
    candidature_ouvrir,
    precandidature_confirmer,
    precandidature_decliner,
    precandidature_ouvrir,
)

__all__ = [
    "DECISION_GABARIT",
    "ConflitDeVersion",
    "DossierIncomplet",
    "annotation_ecrire",
    "atelier_abandonner_en_candidature",
    "avis_demander",
    "avis_rendre",
    "candidature_corriger_decision",
    "candidature_decider",
    "candidature_demander_complements",
    "candidature_deposer",
    "candidature_ouvrir",
    "candidature_suivre",
    "courrier_demander_modele",
    "courrier_deposer",
    "message_envoyer",
    "partie_enregistrer",
    "precandidature_confirmer",
    "precandidature_decliner",
    "precandidature_ouvrir",
]
