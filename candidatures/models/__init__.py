"""Pré-candidature, then the candidature: what the porteurs tell DGALN about their atelier,
and DGALN's review of it."""

from candidatures.models.annexes import DynamiquesAmenagement, DynamiquesTerritoire
from candidatures.models.candidature import (
    DEPOSER,
    INSTRUIRE,
    Candidature,
    CodeCandidature,
    VersionCandidature,
)
from candidatures.models.courrier import EXPLICATIONS_COURRIERS, Courrier
from candidatures.models.instruction import Annotation, Decision, DemandeAvis, Message
from candidatures.models.note import Localisation, Objectifs, Objet, Porteurs, Ressources
from candidatures.models.partie import BlocDeLignes, Colonne, PartieNote
from candidatures.models.parties import (
    PARTIE_DU_MODELE,
    PARTIES,
    PARTIES_PAR_SLUG,
    Partie,
    courriers_actuels,
    etat_des_parties,
    manquants,
    manque_courrier,
    manques_du_dossier,
)
from candidatures.models.precandidature import (
    CodePreCandidature,
    Contact,
    PreCandidature,
    Thematique,
)

__all__ = [
    "DEPOSER",
    "EXPLICATIONS_COURRIERS",
    "INSTRUIRE",
    "PARTIES",
    "PARTIES_PAR_SLUG",
    "PARTIE_DU_MODELE",
    "Annotation",
    "BlocDeLignes",
    "Candidature",
    "CodeCandidature",
    "CodePreCandidature",
    "Colonne",
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
    "Partie",
    "PartieNote",
    "Porteurs",
    "PreCandidature",
    "Ressources",
    "Thematique",
    "VersionCandidature",
    "courriers_actuels",
    "etat_des_parties",
    "manquants",
    "manque_courrier",
    "manques_du_dossier",
]
