"""Pré-candidature, then the candidature: what the porteurs tell DGALN about their atelier,
and DGALN's review of it."""

from candidatures.models.candidature import (
    DEPOSER,
    EXPLICATIONS_COURRIERS,
    INSTRUIRE,
    Candidature,
    Courrier,
    VersionCandidature,
)
from candidatures.models.instruction import Annotation, Decision, DemandeAvis, Message
from candidatures.models.note import (
    DynamiquesAmenagement,
    DynamiquesTerritoire,
    Localisation,
    Objectifs,
    Objet,
    PartieNote,
    Porteurs,
    Ressources,
)
from candidatures.models.precandidature import Contact, PreCandidature, Thematique

__all__ = [
    "DEPOSER",
    "EXPLICATIONS_COURRIERS",
    "INSTRUIRE",
    "Annotation",
    "Candidature",
    "Contact",
    "Courrier",
    "Decision",
    "DemandeAvis",
    "DynamiquesAmenagement",
    "DynamiquesTerritoire",
    "Localisation",
    "Message",
    "Objectifs",
    "Objet",
    "PartieNote",
    "Porteurs",
    "PreCandidature",
    "Ressources",
    "Thematique",
    "VersionCandidature",
]
