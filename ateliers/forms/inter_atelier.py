"""The inter-ateliers' forms: an entry with its attachments, and the list's filters."""

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from ateliers.forms import SelectLeger
from ateliers.forms.cadrage import TEXTE_MAX, _jour
from ateliers.models import PREMIER_JOUR_DU_PORTAIL, InterAtelier
from ateliers.models.inter_atelier import CHAMPS, champs_manquants
from comptes.validators import PlageDeDates, valider_une_seule_ligne
from documents.forms import FichierField
from documents.models import FichierDepose
from documents.verification import Usage

N = InterAtelier.Nature
# How the error under a missing field names the nature of the entry.
POUR = {
    N.ENTRETIEN: "un entretien",
    N.ANALYSE: "une analyse documentaire",
    N.REUNION: "une réunion de travail",
}


class PiecesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PiecesField(FichierField):
    """Several files in one input, each checked like any upload of the portal; each refusal
    names its file."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PiecesInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        fichiers = data if isinstance(data, list | tuple) else [data]
        resultat, erreurs = [], []
        for fichier in fichiers:
            try:
                propre = super().clean(fichier, initial)
            except ValidationError as exc:
                erreurs.extend(exc.messages)
            else:
                if propre:
                    resultat.append(propre)
        if erreurs:
            raise ValidationError(erreurs)
        return resultat


def _texte(label: str, lignes: int = 0, **kwargs: Any) -> forms.CharField:
    if lignes:
        return forms.CharField(
            label=label,
            required=False,
            max_length=TEXTE_MAX,
            widget=forms.Textarea(attrs={"rows": lignes}),
            **kwargs,
        )
    return forms.CharField(
        label=label,
        required=False,
        max_length=200,
        validators=[valider_une_seule_ligne],
        **kwargs,
    )


class InterAtelierForm(DsfrBaseForm):
    nature = forms.ChoiceField(
        label="Nature",
        choices=[("", "Choisir la nature de l'entrée"), *N.choices],
        error_messages={"required": "Choisissez la nature de l'entrée."},
    )
    date = _jour("Date", help_text="Format : jj/mm/aaaa.")
    titre = forms.CharField(
        label="Intitulé",
        max_length=200,
        validators=[valider_une_seule_ligne],
        error_messages={"required": "Donnez un intitulé à l'entrée."},
    )
    interlocuteur = _texte("Personne rencontrée", help_text="Pour un entretien.")
    organisation = _texte("Organisation", help_text="Pour un entretien.")
    documents_lus = _texte(
        "Documents lus", 4, help_text="Pour une analyse documentaire : un document par ligne."
    )
    constats = _texte("Constats", 6, help_text="Pour une analyse documentaire.")
    participants = _texte(
        "Participants", 4, help_text="Pour une réunion de travail : une personne par ligne."
    )
    synthese = _texte("Synthèse", 8, help_text="Pour un entretien ou une réunion de travail.")
    pieces = PiecesField(label="Pièces jointes", usage=Usage.RESSOURCE, required=False)

    def __init__(
        self,
        *args: Any,
        entree: InterAtelier | None = None,
        pieces_actuelles: Sequence[FichierDepose] = (),
        **kwargs: Any,
    ) -> None:
        if entree is not None:
            kwargs.setdefault("initial", {c: getattr(entree, c) for c in CHAMPS})
        super().__init__(*args, **kwargs)
        # Entries tell what was done: up to today, never ahead.
        self.fields["date"].error_messages["required"] = "Indiquez la date de l'entrée."
        self.fields["date"].validators = [
            PlageDeDates(PREMIER_JOUR_DU_PORTAIL, timezone.localdate())
        ]
        if pieces_actuelles:
            self.fields["retirer"] = forms.TypedMultipleChoiceField(
                label="Pièces jointes à retirer",
                required=False,
                coerce=int,
                choices=[(p.pk, p.nom_original) for p in pieces_actuelles],
                widget=forms.CheckboxSelectMultiple,
            )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        nature = donnees.get("nature")
        if nature:
            for champ in champs_manquants(donnees):
                if champ not in self.errors:
                    self.add_error(champ, f"Ce champ est demandé pour {POUR[nature]}.")
        return donnees

    def valeurs(self) -> dict[str, Any]:
        """The entry's fields, its texts trimmed."""
        donnees = self.cleaned_data
        return {
            c: donnees[c].strip() if isinstance(donnees[c], str) else donnees[c] for c in CHAMPS
        }


class InterAtelierFiltreForm(DsfrBaseForm):
    nature = forms.ChoiceField(
        label="Nature", required=False, choices=[("", "Toutes"), *N.choices], widget=SelectLeger
    )
    du = _jour("Du", required=False, help_text="Format : jj/mm/aaaa.")
    au = _jour("Au", required=False, help_text="Format : jj/mm/aaaa.")
    auteur = forms.TypedChoiceField(
        label="Auteur", required=False, coerce=int, empty_value=None, widget=SelectLeger
    )

    def __init__(self, *args: Any, auteurs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auteur"].choices = [("", "Tous"), *auteurs]
        plage = PlageDeDates(
            PREMIER_JOUR_DU_PORTAIL, timezone.localdate() + datetime.timedelta(days=366)
        )
        self.fields["du"].validators = self.fields["au"].validators = [plage]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and au < du:
            self.add_error("au", "La fin de la période doit suivre son début.")
        return donnees
