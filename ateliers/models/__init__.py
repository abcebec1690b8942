"""The Atelier: the one record of an atelier's whole life, its phase and its journal."""

from ateliers.models.agenda import JetonAgenda
from ateliers.models.alerte import Alerte
from ateliers.models.atelier import Atelier, AtelierQuerySet
from ateliers.models.cadrage import Cadrage, CodeCadrage, EtapePrevue, calendrier_propose
from ateliers.models.compte_rendu import CompteRendu, Proposition
from ateliers.models.inter_atelier import CodeInterAtelier, InterAtelier
from ateliers.models.journal import Evenement
from ateliers.models.phases import (
    ABANDONNER,
    INSTRUIRE,
    PARCOURS,
    PHASES_ACCOMPAGNEMENT,
    PHASES_EN_COURS,
    PHASES_TERMINALES,
    PILOTER,
    PORTER,
    PREMIER_JOUR_DU_PORTAIL,
    SORTIES,
    CodeAtelier,
    Phase,
)
from ateliers.models.restitution import CodeRestitution, Restitution
from ateliers.models.session import (
    PILOTER_SESSION,
    CodeSession,
    LigneLogistique,
    Participant,
    PointProgramme,
    Session,
)

__all__ = [
    "ABANDONNER",
    "INSTRUIRE",
    "PARCOURS",
    "PHASES_ACCOMPAGNEMENT",
    "PHASES_EN_COURS",
    "PHASES_TERMINALES",
    "PILOTER",
    "PILOTER_SESSION",
    "PORTER",
    "PREMIER_JOUR_DU_PORTAIL",
    "SORTIES",
    "Alerte",
    "Atelier",
    "AtelierQuerySet",
    "Cadrage",
    "CodeAtelier",
    "CodeCadrage",
    "CodeInterAtelier",
    "CodeRestitution",
    "CodeSession",
    "CompteRendu",
    "EtapePrevue",
    "Evenement",
    "InterAtelier",
    "JetonAgenda",
    "LigneLogistique",
    "Participant",
    "Phase",
    "PointProgramme",
    "Proposition",
    "Restitution",
    "Session",
    "calendrier_propose",
]
