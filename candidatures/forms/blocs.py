"""The repeatable blocks of the note's parts: the formset of a block and the form of one row."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import models
from django.forms import formset_factory
from dsfr.forms import DsfrBaseForm

from candidatures.validation import uuid_ou_vide
from documents.forms import FichierField


def _json(valeur):
    """A row's cleaned value as stored in the part's JSON: text, number, ISO date or None."""
    if isinstance(valeur, datetime.date):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return str(valeur)
    if isinstance(valeur, models.Model):
        return valeur.pk
    return valeur


class LignesFormSetBase(forms.BaseFormSet):
    """The rows of a repeatable block. Nothing in a row is required to save a draft: blank rows
    and rows marked « retirer » are dropped, the others are kept in their order."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The formset adds its box after the row's own __init__: labelled here.
        if forms.formsets.DELETION_FIELD_NAME in form.fields:
            champ = form.fields[forms.formsets.DELETION_FIELD_NAME]
            champ.label = "Retirer cette ligne"
            champ.help_text = "Elle disparaîtra au prochain enregistrement."

    def lignes(self):
        lignes = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            donnees = {
                nom: _json(valeur)
                for nom, valeur in form.cleaned_data.items()
                if nom != forms.formsets.DELETION_FIELD_NAME
            }
            if any(v not in ("", None, []) for v in donnees.values()):
                lignes.append(donnees)
        return lignes


@dataclass(frozen=True)
class Bloc:
    """The formset of a repeatable block of a part, stored as a list of rows in the model's
    JSON field `champ`: `formulaire` is the form of one row; the rows' columns and what a
    complete row fills are the model's (`modele.BLOCS[champ]`)."""

    modele: type
    champ: str
    formulaire: type
    max_lignes: int = 30

    @property
    def requis(self):
        return self.modele.BLOCS[self.champ].requis

    @property
    def champs_requis(self):
        """The names of the row's fields that completeness looks at, alternatives included."""
        return self.modele.BLOCS[self.champ].champs_requis

    def formset(
        self, data=None, files=None, *, initial=None, lignes_en_plus=0, fichiers=None, **kwargs
    ):
        # An empty block shows one empty row; « Ajouter une ligne » asks for one more.
        classe = formset_factory(
            self.formulaire,
            formset=LignesFormSetBase,
            extra=(0 if initial else 1) + lignes_en_plus,
            can_delete=True,
            max_num=self.max_lignes,
            validate_max=True,
            absolute_max=self.max_lignes + 5,
        )
        # A block the part needs marks its required columns as not optional.
        attendus = self.champs_requis if self.champ in self.modele.REQUIS else ()
        return classe(
            data,
            files,
            initial=initial or None,
            prefix=self.champ,
            form_kwargs={"fichiers": fichiers or {}, "attendus": attendus},
            **kwargs,
        )


def libelles(modele, champ):
    """The labels of a block's columns, by column, as the model's completeness names them:
    the row form's fields take them."""
    return {nom: colonne.libelle for nom, colonne in modele.BLOCS[champ].colonnes.items()}


class FichierDeposeInput(forms.FileInput):
    """A file input that names the file already deposited (with its download link): it is
    kept as long as no other file is chosen."""

    template_name = "candidatures/widgets/fichier_depose.html"
    fichier_actuel = None

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        contexte["widget"]["fichier_actuel"] = self.fichier_actuel
        return contexte


class LigneForm(DsfrBaseForm):
    """One row of a repeatable block. Nothing in it is required, whatever its fields say (a
    draft saves what is there; the block's `requis` make completeness, and `attendus` marks
    them).

    A FichierField `x` of a row comes with a hidden field `x_actuel`: the uuid of the file
    already deposited, kept when no new file is sent (autosave never sends files). Only a file
    among `fichiers` (those of this candidature) is kept; the row's value is the new upload,
    for the service to deposit, or the kept uuid."""

    def __init__(self, *args, fichiers=None, attendus=(), **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            champ.required = False
        for nom in attendus:
            self.fields[nom].attendu = True
        self.fichiers = fichiers or {}
        for nom in self.noms_fichiers:
            if not self.is_bound:
                self.initial[f"{nom}_actuel"] = self.initial.get(nom, "")
            cle = uuid_ou_vide(self[f"{nom}_actuel"].value())
            self.fields[nom].widget.fichier_actuel = self.fichiers.get(cle)

    @property
    def noms_fichiers(self):
        return [n for n, c in self.fields.items() if isinstance(c, FichierField)]

    def clean(self):
        donnees = super().clean()
        for nom in self.noms_fichiers:
            actuel = uuid_ou_vide(donnees.pop(f"{nom}_actuel", ""))
            if not donnees.get(nom):
                donnees[nom] = actuel if actuel in self.fichiers else ""
        return donnees
