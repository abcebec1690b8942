"""Reads on candidatures used in more than one place, by use case."""

from candidatures.models import courriers_actuels
from candidatures.selectors.attentes import attentes
from candidatures.selectors.courriers import (
    donnees_courriers,
    etat_des_courriers,
    gabarit_courrier,
    modeles_actuels,
    version_courrier,
)
from candidatures.selectors.depot import (
    DOSSIER_GABARIT,
    comparer_versions,
    contenu_du_dossier,
    derniere_version,
    fichiers_des_versions,
    fichiers_gardes_par_les_versions,
    pieces_manquantes,
)
from candidatures.selectors.echanges import avis_a_rendre, experts_possibles, fil_echanges
from candidatures.selectors.instruction import (
    ETATS_DE_LA_FILE,
    cohorte,
    documents_des,
    file_instruction,
    pieces_a_completer_possibles,
)
from candidatures.selectors.lecture import (
    NoteDeposee,
    PorteurNote,
    TerritoireNote,
    lire_version,
    note_deposee,
)
from candidatures.selectors.note import (
    NON_SIGNIFICATIFS,
    candidature_de,
    contenu_lisible,
    fichiers_de_la_candidature,
    historique_partie,
)

__all__ = [
    "DOSSIER_GABARIT",
    "ETATS_DE_LA_FILE",
    "NON_SIGNIFICATIFS",
    "NoteDeposee",
    "PorteurNote",
    "TerritoireNote",
    "attentes",
    "avis_a_rendre",
    "candidature_de",
    "cohorte",
    "comparer_versions",
    "contenu_du_dossier",
    "contenu_lisible",
    "courriers_actuels",
    "derniere_version",
    "documents_des",
    "donnees_courriers",
    "etat_des_courriers",
    "experts_possibles",
    "fichiers_de_la_candidature",
    "fichiers_des_versions",
    "fichiers_gardes_par_les_versions",
    "fil_echanges",
    "file_instruction",
    "gabarit_courrier",
    "historique_partie",
    "lire_version",
    "modeles_actuels",
    "note_deposee",
    "pieces_a_completer_possibles",
    "pieces_manquantes",
    "version_courrier",
]
