"""The livrables' writes: a dépôt in versions, the review and its comments, the avis, DGALN's
agreement, the validation that releases a tranche, and the clôture of the atelier."""

from ateliers.services import ActionImpossible
from livrables.services.cloture import atelier_cloturer
from livrables.services.revue import (
    accord_donner,
    avis_donner,
    commentaire_ecrire,
    commentaire_retirer,
    corrections_demander,
    livrable_ouvrir,
    livrable_valider,
    version_deposer,
)

__all__ = [
    "ActionImpossible",
    "accord_donner",
    "atelier_cloturer",
    "avis_donner",
    "commentaire_ecrire",
    "commentaire_retirer",
    "corrections_demander",
    "livrable_ouvrir",
    "livrable_valider",
    "version_deposer",
]
