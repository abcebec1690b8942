"""Reads on the note d'opportunité: a candidature with its parts, a part's history, a part as a
reader sees it, the files of a candidature."""

import datetime
from decimal import Decimal
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Field, OuterRef, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name

from ateliers.models import Atelier
from candidatures.models import (
    PARTIES,
    Candidature,
    Colonne,
    Partie,
    PartieNote,
)
from candidatures.models.partie import lien_lu
from candidatures.validation import uuid_ou_vide
from comptes.dates import date_longue
from documents.models import FichierDepose

# What a save always changes, and so tells nothing to the reader of the history.
NON_SIGNIFICATIFS = {
    "id",
    "candidature",
    "version",
    "modifie_le",
    "modifie_par",
    # Derived from the perimeter's file, which is named when it changes.
    "perimetre_resume",
}


def historique_partie(contenu: PartieNote, *, nombre: int = 10) -> list[dict[str, Any]]:
    """The last saves of a part: when, by whom, and which fields changed; in a fixed number of
    queries (records, their authors and their many-to-many rows are loaded together)."""
    champs = [f for f in type(contenu)._meta.concrete_fields if f.name not in NON_SIGNIFICATIFS]
    multiples = list(type(contenu)._meta.many_to_many)
    # simple_history's manager, set on each concrete part: unknown to the stubs.
    historique: Any = contenu.history  # type: ignore[attr-defined]
    enregistrements = list(historique.select_related("history_user")[: nombre + 1])
    # One query per many-to-many field for all the records: the rows of its history table.
    lignes_liees: dict[tuple[str, int], set[Any]] = {}
    for champ in multiples if enregistrements else ():
        modele_lignes = historique.model.__dict__[champ.name].model
        cible = f"{get_m2m_reverse_field_name(champ)}_id"
        rangs = modele_lignes.objects.filter(history__in=enregistrements)
        for history_id, cle in rangs.values_list("history_id", cible):
            lignes_liees.setdefault((champ.name, history_id), set()).add(cle)

    def valeurs(enregistrement: Any) -> dict[Any, Any]:
        simples = {f.verbose_name: getattr(enregistrement, f.attname) for f in champs}
        lies = {
            f.verbose_name: lignes_liees.get((f.name, enregistrement.pk), set()) for f in multiples
        }
        return {**simples, **lies}

    lignes = []
    for recent, precedent in zip(
        enregistrements[:nombre], [*enregistrements[1:], None], strict=False
    ):
        if precedent is None:
            changes = ["création"]
        else:
            avant, apres = valeurs(precedent), valeurs(recent)
            changes = [str(nom) for nom in apres if apres[nom] != avant[nom]]
        lignes.append({"date": recent.history_date, "par": recent.history_user, "champs": changes})
    return lignes


def _modele(partie: Partie) -> type[PartieNote]:
    # `Partie.modele` is annotated `type` (models/parties.py): every part is a PartieNote.
    return cast(type[PartieNote], partie.modele)


def candidature_de(atelier: Atelier) -> Candidature | None:
    """The atelier's candidature with every part of its note and the files they point at, in
    one query; None if none. It keeps `atelier` itself, with whatever was loaded with it, and
    is kept on the atelier for the rest of the request: the page's sections all ask for it."""
    if not hasattr(atelier, "_candidature_de"):
        fichiers = [
            f"{p.attribut}__{nom}"
            for p in PARTIES
            for nom in _modele(p).FICHIERS
            if nom not in _modele(p).BLOCS
        ]
        # Whether each many-to-many field a part needs has a row, in the same query: their
        # completeness asked two more (PartieNote.manquants).
        liens: list[tuple[Partie, str]] = [
            (p, nom)
            for p in PARTIES
            for nom in _modele(p).REQUIS
            if _modele(p)._meta.get_field(nom).many_to_many
        ]
        existe = {
            f"lien_{rang}": Exists(
                _modele(p)._default_manager.filter(
                    candidature=OuterRef("pk"), **{f"{nom}__isnull": False}
                )
            )
            for rang, (p, nom) in enumerate(liens)
        }
        # No LIMIT (an atelier has one candidature at most): with one, PostgreSQL spent twice
        # as long planning this nine-table join (3.7 ms against 1.9 ms, at 10 000 ateliers).
        candidature = next(
            iter(
                Candidature.objects.select_related(*(p.attribut for p in PARTIES), *fichiers)
                .filter(atelier=atelier)
                .annotate(**existe)
            ),
            None,
        )
        if candidature is not None:
            candidature.atelier = atelier
            for rang, (p, nom) in enumerate(liens):
                # A part not written yet has no row (its getter raises an AttributeError).
                partie = getattr(candidature, p.attribut, None)
                if partie is not None:
                    setattr(partie, lien_lu(nom), getattr(candidature, f"lien_{rang}"))
        # An attribute of ours on the atelier object, hence the ignores.
        atelier._candidature_de = candidature  # type: ignore[attr-defined]
    return atelier._candidature_de  # type: ignore[attr-defined]


def fichiers_de_la_candidature(candidature_id: int | str) -> QuerySet[FichierDepose]:
    """The files the candidature owns (the files of its note, its signed letters), to narrow
    down: the one query for « this candidature's files », so that no part ever reads or keeps
    another candidature's file."""
    return FichierDepose.objects.filter(
        proprietaire_type=ContentType.objects.get_for_model(Candidature),
        proprietaire_id=str(candidature_id),
    )


def contenu_lisible(partie: Partie, contenu: PartieNote) -> list[dict[str, Any]]:
    """The part as a reader sees it, in the note's order: for each field its label and its
    value as text; for each repeatable block its rows, each a list of (label, value). Used by
    the side-by-side comparison, the dossier PDF and the frozen versions."""
    modele = _modele(partie)
    fichiers = _fichiers_des_lignes(modele, contenu)
    elements = []
    noms: tuple[str, ...] = modele.CHAMPS
    for nom in noms:
        # A part's own field, never a reverse relation.
        champ = cast(Field, modele._meta.get_field(nom))
        valeur = getattr(contenu, nom)
        if nom in modele.BLOCS:
            colonnes = modele.BLOCS[nom].colonnes
            lignes = [
                [
                    (c.libelle, _texte(fichiers.get(ligne.get(col), ligne.get(col)), c))
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


def _fichiers_des_lignes(modele: type[PartieNote], contenu: PartieNote) -> dict[str, str]:
    """The candidature's files kept in the part's rows, uuid -> « nom – type – taille », in
    one query."""
    cles = [
        uuid_ou_vide(ligne.get(col))
        for nom, bloc in modele.BLOCS.items()
        for col, colonne in bloc.colonnes.items()
        if colonne.fichier
        for ligne in getattr(contenu, nom)
    ]
    cles = [c for c in cles if c]
    if not cles:
        return {}
    fichiers = fichiers_de_la_candidature(contenu.candidature_id).filter(uuid__in=cles)
    return {str(f.uuid): _fichier(f) for f in fichiers}


def _fichier(fichier: FichierDepose) -> str:
    return (
        f"{fichier.nom_original} – {fichier.extension.lstrip('.').upper()} – "
        f"{filesizeformat(fichier.taille)}"
    )


def _texte(valeur: Any, colonne: Colonne | None = None) -> str:
    """A stored value as text: a choice by its label, a yes/no box in words, a number the
    French way."""
    if isinstance(valeur, Decimal):
        return number_format(valeur.normalize())
    choix = dict(colonne.choix) if colonne is not None else {}
    if colonne is not None and colonne.date and valeur:
        return date_longue(datetime.date.fromisoformat(valeur))
    if isinstance(valeur, list):
        return ", ".join(_texte(v, colonne) for v in valeur)
    if valeur in choix:
        return str(choix[valeur])
    if valeur is True:
        return "oui"
    if valeur is False:
        return "non"
    return "" if valeur is None else str(valeur)
