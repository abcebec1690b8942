"""The parts of the note d'opportunité that can be written online, in the note's order, each
with the form that edits it (the parts themselves and their completeness: models.parties)."""

from dataclasses import dataclass

from candidatures.forms import (
    DynamiquesAmenagementForm,
    DynamiquesTerritoireForm,
    LocalisationForm,
    ObjectifsForm,
    ObjetForm,
    PorteursForm,
    RessourcesForm,
)
from candidatures.models import PARTIES as PARTIES_DE_LA_NOTE
from candidatures.models import Partie


@dataclass(frozen=True)
class PartieEditable(Partie):
    formulaire: type


FORMULAIRES = {
    "porteurs": PorteursForm,
    "localisation": LocalisationForm,
    "objet": ObjetForm,
    "objectifs": ObjectifsForm,
    "ressources": RessourcesForm,
    "dynamiques-territoire": DynamiquesTerritoireForm,
    "dynamiques-amenagement": DynamiquesAmenagementForm,
}
PARTIES = [
    PartieEditable(p.slug, p.titre, p.modele, p.attribut, FORMULAIRES[p.slug])
    for p in PARTIES_DE_LA_NOTE
]
PARTIES_PAR_SLUG = {p.slug: p for p in PARTIES}
