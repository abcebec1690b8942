"""The parts of the note d'opportunité that can be written online, in the note's order."""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils.formats import date_format

from candidatures.forms import ObjetForm, PorteursForm
from candidatures.models import Objet, Porteurs


@dataclass(frozen=True)
class Partie:
    slug: str
    titre: str
    modele: type
    formulaire: type
    attribut: str


PARTIES = [
    Partie("porteurs", "Section 1 — Les porteurs", Porteurs, PorteursForm, "porteurs"),
    Partie("objet", "Section 3 — L'objet", Objet, ObjetForm, "objet"),
]
PARTIES_PAR_SLUG = {p.slug: p for p in PARTIES}


def manquants(partie, contenu):
    """The labels of what the part still needs to be complete: its empty required fields,
    then each required field left empty in a row of its repeatable blocks."""
    labels = contenu.manquants()
    for nom, bloc in partie.formulaire.blocs.items():
        libelle = str(partie.modele._meta.get_field(nom).verbose_name)
        labels += bloc.manquants(getattr(contenu, nom), libelle.capitalize())
    return labels


def etat_des_parties(candidature):
    """Each part with its saved content and the labels of what is still missing."""
    etats = []
    for partie in PARTIES:
        contenu = getattr(candidature, partie.attribut)
        etats.append(
            {"partie": partie, "contenu": contenu, "manquants": manquants(partie, contenu)}
        )
    return etats


def contenu_lisible(partie, contenu):
    """The part as a reader sees it, in the form's order: for each field its label and its
    value as text; for each repeatable block its rows, each a list of (label, value). Used by
    the side-by-side comparison, the dossier PDF and the frozen versions."""
    formulaire = partie.formulaire
    elements = []
    for nom in formulaire.ordre:
        champ = partie.modele._meta.get_field(nom)
        valeur = getattr(contenu, nom)
        if nom in formulaire.blocs:
            colonnes = formulaire.blocs[nom].formulaire.base_fields
            lignes = [
                [
                    (str(c.label), _texte(ligne.get(col), c))
                    for col, c in colonnes.items()
                    if ligne.get(col) not in (None, "", [])
                ]
                for ligne in valeur
            ]
            elements.append({"libelle": str(champ.verbose_name).capitalize(), "lignes": lignes})
        else:
            if champ.many_to_many:
                valeur = ", ".join(str(v) for v in valeur.all())
            elif champ.choices:
                valeur = getattr(contenu, f"get_{nom}_display")() if valeur else ""
            elements.append(
                {"libelle": str(champ.verbose_name).capitalize(), "valeur": _texte(valeur)}
            )
    return elements


def _texte(valeur, champ_formulaire=None):
    """A stored value as text: a choice by its label, a yes/no box in words."""
    choix = dict(getattr(champ_formulaire, "choices", None) or ())
    if isinstance(champ_formulaire, forms.DateField) and valeur:
        return date_format(datetime.date.fromisoformat(valeur), "j F Y")
    if isinstance(valeur, list):
        return ", ".join(_texte(v, champ_formulaire) for v in valeur)
    if valeur in choix:
        return str(choix[valeur])
    if valeur is True:
        return "oui"
    if valeur is False:
        return "non"
    return "" if valeur is None else str(valeur)
