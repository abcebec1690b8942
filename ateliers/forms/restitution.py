"""The restitution, as its page edits it."""

from typing import Any

from django import forms

from ateliers.forms.cadrage import TEXTE_MAX, ReunionForm
from ateliers.models import Restitution
from documents.forms import FichierField
from documents.verification import Usage


class RestitutionForm(ReunionForm):
    audience = forms.CharField(
        label="Public",
        required=False,
        max_length=TEXTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Qui est invité : élus, services, habitants…",
    )
    presentation = FichierField(label="Présentation", usage=Usage.PIECE_MARCHE, required=False)
    field_order = ["jour", "heure", "lieu", "audience", "presentation", "compte_rendu"]
    textes = ("audience",)

    def __init__(self, *args: Any, restitution: Restitution, **kwargs: Any) -> None:
        super().__init__(*args, reunion=restitution, **kwargs)
        self.fields["jour"].label = "Date de la restitution"
