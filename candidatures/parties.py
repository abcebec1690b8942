"""The parts of the note d'opportunité that can be written online, in the note's order."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst

from candidatures.forms import (
    DynamiquesAmenagementForm,
    DynamiquesTerritoireForm,
    LocalisationForm,
    ObjectifsForm,
    ObjetForm,
    PorteursForm,
    RessourcesForm,
    uuid_ou_vide,
)
from candidatures.models import (
    DynamiquesAmenagement,
    DynamiquesTerritoire,
    Localisation,
    Objectifs,
    Objet,
    Porteurs,
    Ressources,
)
from documents.forms import FichierField
from documents.models import FichierDepose


@dataclass(frozen=True)
class Partie:
    slug: str
    titre: str
    modele: type
    formulaire: type
    attribut: str


PARTIES = [
    Partie("porteurs", "Section 1 — Les porteurs", Porteurs, PorteursForm, "porteurs"),
    Partie(
        "localisation",
        "Section 2 — La localisation",
        Localisation,
        LocalisationForm,
        "localisation",
    ),
    Partie("objet", "Section 3 — L'objet", Objet, ObjetForm, "objet"),
    Partie("objectifs", "Section 4 — Les objectifs", Objectifs, ObjectifsForm, "objectifs"),
    Partie("ressources", "Section 5 — Les ressources", Ressources, RessourcesForm, "ressources"),
    Partie(
        "dynamiques-territoire",
        "Annexe 1 — Les dynamiques du territoire",
        DynamiquesTerritoire,
        DynamiquesTerritoireForm,
        "dynamiques_territoire",
    ),
    Partie(
        "dynamiques-amenagement",
        "Annexe 2 — Les dynamiques d'aménagement",
        DynamiquesAmenagement,
        DynamiquesAmenagementForm,
        "dynamiques_amenagement",
    ),
]
PARTIES_PAR_SLUG = {p.slug: p for p in PARTIES}
PARTIE_DU_MODELE = {p.modele: p for p in PARTIES}


def manquants(partie, contenu):
    """The labels of what the part still needs to be complete: its empty required fields,
    then each required field left empty in a row of its repeatable blocks."""
    labels = contenu.manquants()
    for nom, bloc in partie.formulaire.blocs.items():
        libelle = str(partie.modele._meta.get_field(nom).verbose_name)
        labels += bloc.manquants(getattr(contenu, nom), capfirst(libelle))
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
    fichiers = _fichiers_des_lignes(partie, contenu)
    elements = []
    for nom in formulaire.ordre:
        champ = partie.modele._meta.get_field(nom)
        valeur = getattr(contenu, nom)
        if nom in formulaire.blocs:
            colonnes = formulaire.blocs[nom].formulaire.base_fields
            lignes = [
                [
                    (str(c.label), _texte(fichiers.get(ligne.get(col), ligne.get(col)), c))
                    for col, c in colonnes.items()
                    if ligne.get(col) not in (None, "", [])
                ]
                for ligne in valeur
            ]
            elements.append({"libelle": capfirst(str(champ.verbose_name)), "lignes": lignes})
        else:
            if champ.many_to_many:
                valeur = ", ".join(str(v) for v in valeur.all())
            elif champ.choices:
                valeur = getattr(contenu, f"get_{nom}_display")() if valeur else ""
            elif isinstance(valeur, FichierDepose):
                valeur = _fichier(valeur)
            elements.append(
                {"libelle": capfirst(str(champ.verbose_name)), "valeur": _texte(valeur)}
            )
    return elements


def _fichiers_des_lignes(partie, contenu):
    """The files kept in the part's rows, uuid -> « nom – type – taille », in one query."""
    cles = [
        uuid_ou_vide(ligne.get(col))
        for nom, bloc in partie.formulaire.blocs.items()
        for col, champ in bloc.formulaire.base_fields.items()
        if isinstance(champ, FichierField)
        for ligne in getattr(contenu, nom)
    ]
    cles = [c for c in cles if c]
    if not cles:
        return {}
    return {str(f.uuid): _fichier(f) for f in FichierDepose.objects.filter(uuid__in=cles)}


def _fichier(fichier):
    return (
        f"{fichier.nom_original} – {fichier.extension.lstrip('.').upper()} – "
        f"{filesizeformat(fichier.taille)}"
    )


def _texte(valeur, champ_formulaire=None):
    """A stored value as text: a choice by its label, a yes/no box in words, a number the
    French way."""
    if isinstance(valeur, Decimal):
        return number_format(valeur.normalize())
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
