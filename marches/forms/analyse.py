"""The forms of the analysis: the marks of one offer, the attribution, the notification."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.template.defaultfilters import floatformat
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from comptes.models import Organisation
from documents.forms import FichierField
from documents.verification import Usage
from marches.models import Critere, NoteOffre, Offre


class NotesForm(DsfrBaseForm):
    """A mark and its justification for each marked sub-criterion of the offer's grid; a
    criterion may be left blank for now, never marked without a justification."""

    def __init__(
        self,
        *args: Any,
        criteres: list[Critere],
        note_maximale: int,
        existantes: dict[int, NoteOffre],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteres = criteres
        for critere in criteres:
            note = existantes.get(critere.pk)
            self.fields[f"note_{critere.pk}"] = forms.DecimalField(
                label=f"{critere.libelle} — note sur {note_maximale}",
                help_text=f"Poids {floatformat(critere.poids, -2)} sur 100 ; de 0 à "
                f"{note_maximale}, au centième (3,5 par exemple).",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(note_maximale),
                decimal_places=2,
                max_digits=4,
                initial=note.valeur if note else None,
                localize=True,
            )
            self.fields[f"justification_{critere.pk}"] = forms.CharField(
                label=f"{critere.libelle} — justification",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=note.justification if note else "",
            )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        for critere in self.criteres:
            valeur = donnees.get(f"note_{critere.pk}")
            if (
                valeur is not None
                and not (donnees.get(f"justification_{critere.pk}") or "").strip()
            ):
                self.add_error(
                    f"justification_{critere.pk}",
                    "Justifiez la note : la justification figure au rapport d'analyse.",
                )
        return donnees

    def champs(self) -> list[dict[str, Any]]:
        """Each criterion with its two bound fields, for the template."""
        return [
            {
                "critere": c,
                "note": self[f"note_{c.pk}"],
                "justification": self[f"justification_{c.pk}"],
            }
            for c in self.criteres
        ]

    def notes(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            c.pk: (
                self.cleaned_data.get(f"note_{c.pk}"),
                self.cleaned_data.get(f"justification_{c.pk}") or "",
            )
            for c in self.criteres
        }


class AttributionForm(DsfrBaseForm):
    offre = forms.ModelChoiceField(
        label="Groupement retenu",
        queryset=Offre.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Normalement l'offre classée première ; un autre choix se motive ci-dessous.",
    )
    accords = forms.ModelMultipleChoiceField(
        label="Membres du jury d'accord avec ce choix",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez les membres du jury d'accord avec ce choix."},
    )
    motifs = forms.CharField(
        label="Motifs du choix",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ces motifs figurent dans les lettres aux groupements non retenus : n'y citez "
        "ni le prix ni les notes d'une autre offre que celle retenue.",
        error_messages={"required": "Indiquez les motifs du choix du jury."},
    )
    motif_ecart = forms.CharField(
        label="Pourquoi pas l'offre classée première (si vous en retenez une autre)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, offres: Any, jury: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offre"].queryset = offres
        self.fields["offre"].label_from_instance = lambda o: o.groupement.nom
        self.fields["accords"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in jury]
        ).order_by("nom")


class NotificationForm(DsfrBaseForm):
    notifie_le = forms.DateField(
        label="Date de notification",
        help_text="Format : jj/mm/aaaa. Entre l'attribution et aujourd'hui.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
        error_messages={"required": "Indiquez la date de notification."},
    )
    acte_engagement = FichierField(
        usage=Usage.COURRIER_SIGNE,
        label="Acte d'engagement signé par les deux parties",
        error_messages={"required": "Joignez l'acte d'engagement signé, en PDF."},
    )

    def clean_notifie_le(self) -> datetime.date:
        date = self.cleaned_data["notifie_le"]
        if date > timezone.localdate():
            raise forms.ValidationError("La date de notification n'est pas dans le futur.")
        return date
