"""The réunion de cadrage and the calendrier prévisionnel, as their pages edit them."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from ateliers.models import PREMIER_JOUR_DU_PORTAIL, Cadrage, EtapePrevue
from comptes.validators import PlageDeDates, valider_une_seule_ligne
from documents.forms import FichierField
from documents.verification import Usage

TEXTE_MAX = 20_000


def _jour(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class ReunionForm(DsfrBaseForm):
    """A meeting of the accompagnement (the cadrage, the restitution): its day and time, made
    one moment in Paris time, its place and its compte-rendu."""

    jour = _jour(
        "Date de la réunion",
        required=False,
        help_text="Format : jj/mm/aaaa.",
        validators=[PlageDeDates(PREMIER_JOUR_DU_PORTAIL)],
    )
    heure = forms.TimeField(
        label="Heure de début",
        required=False,
        help_text="Format : hh:mm.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    lieu = forms.CharField(
        label="Lieu",
        required=False,
        max_length=200,
        validators=[valider_une_seule_ligne],
        help_text="Salle et commune, si la réunion se tient sur place.",
    )
    compte_rendu = forms.CharField(
        label="Compte-rendu",
        required=False,
        max_length=TEXTE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # The text fields of the model this form edits, besides the place and the compte-rendu.
    textes: tuple[str, ...] = ()

    def __init__(self, *args: Any, reunion: Any, **kwargs: Any) -> None:
        if reunion.date and "initial" not in kwargs:
            local = timezone.localtime(reunion.date)
            kwargs["initial"] = {"jour": local.date(), "heure": local.time()}
        kwargs.setdefault("initial", {}).update(
            {c: getattr(reunion, c) for c in ("lieu", "compte_rendu", *self.textes)}
        )
        super().__init__(*args, **kwargs)
        # A réunion is planned up to a year ahead; further is a slip of the keyboard.
        self.fields["jour"].validators = [
            PlageDeDates(PREMIER_JOUR_DU_PORTAIL, timezone.localdate() + datetime.timedelta(366))
        ]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        jour, heure = donnees.get("jour"), donnees.get("heure")
        if jour and not heure and "heure" not in self.errors:
            self.add_error("heure", "Indiquez l'heure de la réunion.")
        if heure and not jour and "jour" not in self.errors:
            self.add_error("jour", "Indiquez la date de la réunion.")
        return donnees

    def valeurs(self) -> dict[str, Any]:
        """The fields of the model, the date and time made one moment in Paris time."""
        donnees = self.cleaned_data
        date = None
        if donnees.get("jour") and donnees.get("heure"):
            date = timezone.make_aware(datetime.datetime.combine(donnees["jour"], donnees["heure"]))
        return {
            "date": date,
            **{c: donnees[c].strip() for c in ("lieu", "compte_rendu", *self.textes)},
        }


class CadrageForm(ReunionForm):
    lien_visio = forms.URLField(
        label="Lien de visioconférence",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Adresse commençant par https://, si la réunion se tient à distance.",
    )
    participants = forms.CharField(
        label="Participants",
        required=False,
        max_length=TEXTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une personne par ligne, avec son organisation.",
    )
    presentation = FichierField(
        label="Présentation du groupement", usage=Usage.PIECE_MARCHE, required=False
    )
    field_order = ["jour", "heure", "lieu", "lien_visio", "participants", "compte_rendu"]
    textes = ("lien_visio", "participants")

    def __init__(self, *args: Any, cadrage: Cadrage, **kwargs: Any) -> None:
        super().__init__(*args, reunion=cadrage, **kwargs)


class CalendrierForm(DsfrBaseForm):
    """One planned date per step of the calendar, between the portal's first day and three
    years from now (an accompagnement lasts 10 to 15 months)."""

    def __init__(self, *args: Any, jalons: dict[str, EtapePrevue], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {n: j.date_prevue for n, j in jalons.items()})
        super().__init__(*args, **kwargs)
        plage = PlageDeDates(
            PREMIER_JOUR_DU_PORTAIL, timezone.localdate() + datetime.timedelta(3 * 366)
        )
        for nature, libelle in EtapePrevue.Nature.choices:
            self.fields[nature] = _jour(
                libelle,
                validators=[plage],
                error_messages={"required": f"Indiquez la date prévue : {libelle.lower()}."},
            )
