"""The five livrables, their versions and review, what is written in the portal, and the
atelier's clôture."""

from livrables.models.cloture import CLOTURER, Cloture, CodeCloture
from livrables.models.feuille_route import (
    Action,
    Axe,
    Financement,
    Horizon,
    Objectif,
    Priorite,
    SourceFinancement,
    StatutAction,
)
from livrables.models.livrable import (
    ACCORDER,
    DEPOSER,
    ETAPE_DU_TYPE,
    FINAUX,
    JALON_DU_TYPE,
    REVOIR,
    Avis,
    CodeLivrable,
    Commentaire,
    Livrable,
    TypeLivrable,
    VersionLivrable,
)
from livrables.models.livret import ImageLivret
from livrables.models.redaction import PartieRedigee

__all__ = [
    "ACCORDER",
    "CLOTURER",
    "DEPOSER",
    "ETAPE_DU_TYPE",
    "FINAUX",
    "JALON_DU_TYPE",
    "REVOIR",
    "Action",
    "Avis",
    "Axe",
    "Cloture",
    "CodeCloture",
    "CodeLivrable",
    "Commentaire",
    "Financement",
    "Horizon",
    "ImageLivret",
    "Livrable",
    "Objectif",
    "PartieRedigee",
    "Priorite",
    "SourceFinancement",
    "StatutAction",
    "TypeLivrable",
    "VersionLivrable",
]
