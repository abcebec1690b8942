"""The parts of the note d'opportunité in the note's order, and what makes the dossier
complete: the rules that decide the dépôt, read by the forms, the selectors and the dépôt's
transition alike."""

from dataclasses import dataclass

from candidatures.models.annexes import DynamiquesAmenagement, DynamiquesTerritoire
from candidatures.models.courrier import Courrier
from candidatures.models.note import Localisation, Objectifs, Objet, Porteurs, Ressources


@dataclass(frozen=True)
class Partie:
    slug: str
    titre: str
    modele: type
    attribut: str


PARTIES = [
    Partie("porteurs", "Section 1 — Les porteurs", Porteurs, "porteurs"),
    Partie("localisation", "Section 2 — La localisation", Localisation, "localisation"),
    Partie("objet", "Section 3 — L'objet", Objet, "objet"),
    Partie("objectifs", "Section 4 — Les objectifs", Objectifs, "objectifs"),
    Partie("ressources", "Section 5 — Les ressources", Ressources, "ressources"),
    Partie(
        "dynamiques-territoire",
        "Annexe 1 — Les dynamiques du territoire",
        DynamiquesTerritoire,
        "dynamiques_territoire",
    ),
    Partie(
        "dynamiques-amenagement",
        "Annexe 2 — Les dynamiques d'aménagement",
        DynamiquesAmenagement,
        "dynamiques_amenagement",
    ),
]
PARTIES_PAR_SLUG = {p.slug: p for p in PARTIES}
PARTIE_DU_MODELE = {p.modele: p for p in PARTIES}


def manquants(partie, contenu):
    """The labels of what the part still needs to be complete (PartieNote.manquants)."""
    return contenu.manquants()


def etat_des_parties(candidature):
    """Each part with its saved content and the labels of what is still missing."""
    etats = []
    for partie in PARTIES:
        contenu = getattr(candidature, partie.attribut)
        etats.append({"partie": partie, "contenu": contenu, "manquants": contenu.manquants()})
    return etats


def courriers_actuels(candidature):
    """The current signed letter of each type, by type (one query)."""
    courriers = Courrier.objects.filter(candidature=candidature, remplace_le__isnull=True)
    return {c.type: c for c in courriers.select_related("fichier", "depose_par")}


def manque_courrier(courrier):
    """What keeps a letter (None: not deposited) from counting for the dépôt, or None."""
    if courrier is None:
        return "signée, pas encore déposée"
    if courrier.fichier.analyse == courrier.fichier.Analyse.INFECTE:
        return "refusée par l'antivirus : déposez-en une autre"
    if not courrier.fichier.disponible:
        return "en cours d'analyse antivirus"
    return None


def manques_du_dossier(candidature, *, etats=None, courriers=None):
    """What the dossier still lacks before it can be deposited, in the dossier's order: each
    incomplete part of the note (with its missing fields), then each signed letter not
    deposited or not yet downloadable; each as (the part or letter, its label, details)."""
    etats = etat_des_parties(candidature) if etats is None else etats
    courriers = courriers_actuels(candidature) if courriers is None else courriers
    manques = [
        (etat["partie"], etat["partie"].titre, etat["manquants"])
        for etat in etats
        if etat["manquants"]
    ]
    for type_courrier in Courrier.Type:
        manque = manque_courrier(courriers.get(type_courrier))
        if manque:
            manques.append((type_courrier, type_courrier.label, [manque]))
    return manques
