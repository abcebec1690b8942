"""The parts of the note d'opportunité that can be written online, in the note's order."""

from dataclasses import dataclass

from candidatures.forms import ObjetForm
from candidatures.models import Objet


@dataclass(frozen=True)
class Partie:
    slug: str
    titre: str
    modele: type
    formulaire: type
    attribut: str


PARTIES = [
    Partie("objet", "Section 3 — L'objet", Objet, ObjetForm, "objet"),
]
PARTIES_PAR_SLUG = {p.slug: p for p in PARTIES}


def etat_des_parties(candidature):
    """Each part with its saved content and the labels of what is still missing."""
    etats = []
    for partie in PARTIES:
        contenu = getattr(candidature, partie.attribut)
        etats.append({"partie": partie, "contenu": contenu, "manquants": contenu.manquants()})
    return etats
