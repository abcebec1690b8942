"""The forms of the offers: recording one received on PLACE (with its breakdown by phase, a
repeatable block) and the minutes of an audition."""

import datetime
from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from ateliers.forms import SelectLeger
from comptes.models import Organisation
from documents.forms import FichierField
from documents.verification import Usage
from marches.forms.consultation import TEXTE_MAX, DateHeureMixin
from marches.services.offres import ecart_decomposition, message_ecart

# The phases of the accompagnement (domain §5), offered as the bordereau's usual rows.
PHASES_USUELLES = (
    "Lancement et cadrage",
    "Session 1 — diagnostic et enjeux",
    "Session 2 — stratégie",
    "Session 3 — feuille de route",
    "Production et restitution",
)
LIGNES_MAX = 12


def _montant(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class PhaseForm(DsfrBaseForm):
    """One row of the bordereau: a phase and its amount HT; a row left without amount is
    ignored."""

    phase = forms.CharField(label="Phase", max_length=200, required=False)
    montant_ht = _montant("Montant HT (€)", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("montant_ht") is not None and not cleaned.get("phase", "").strip():
            self.add_error("phase", "Nommez la phase de ce montant.")
        return cleaned


DecompositionFormSet = forms.formset_factory(
    PhaseForm, extra=2, max_num=LIGNES_MAX, validate_max=True
)


def decomposition_initiale() -> list[dict[str, str]]:
    return [{"phase": phase} for phase in PHASES_USUELLES]


class OffreForm(DateHeureMixin, DsfrBaseForm):
    groupement = forms.ModelChoiceField(
        label="Groupement",
        queryset=Organisation.objects.none(),
        empty_label="Choisissez",
        widget=SelectLeger,
    )
    montant_ht = _montant("Montant HT (€)")
    montant_tva = _montant("TVA (€)", help_text="Le montant TTC en est la somme avec le HT.")
    note_methodologique = FichierField(label="Note méthodologique", usage=Usage.PIECE_MARCHE)
    presentation_competences = FichierField(
        label="Présentation des compétences techniques", usage=Usage.PIECE_MARCHE
    )
    proposition_financiere = FichierField(
        label="Proposition financière (avec le bordereau des prix)", usage=Usage.PIECE_MARCHE
    )

    def __init__(self, *args, groupements, debut: datetime.date, decomposition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupement"].queryset = groupements
        self.champs_date_heure("recue", libelle="Reçue sur PLACE le", debut=debut)
        self.order_fields(["groupement", "recue_date", "recue_heure", "montant_ht", "montant_tva"])
        self.decomposition = decomposition

    def clean(self):
        cleaned = super().clean()
        cleaned["recue_le"] = self.moment(cleaned, "recue")
        if not self.decomposition.is_valid():
            raise forms.ValidationError("Corrigez la décomposition du prix par phase.")
        lignes = [
            {"phase": ligne["phase"].strip(), "montant_ht": ligne["montant_ht"]}
            for ligne in self.decomposition.cleaned_data
            if ligne and ligne.get("montant_ht") is not None
        ]
        if not lignes:
            raise forms.ValidationError(
                "Recopiez la décomposition du prix par phase du bordereau : au moins une phase "
                "avec son montant HT."
            )
        cleaned["decomposition"] = lignes
        if cleaned.get("montant_ht") is not None:
            ecart = ecart_decomposition(lignes, cleaned["montant_ht"])
            if ecart:
                self.add_error("montant_ht", message_ecart(ecart))
        return cleaned

    def is_valid(self):
        # The formset is checked with the form, so that each shows its own errors.
        return all([super().is_valid(), self.decomposition.is_valid()])


class AuditionForm(DateHeureMixin, DsfrBaseForm):
    participants = forms.CharField(
        label="Participants",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une personne par ligne, avec son organisation. 2 000 caractères au plus.",
    )
    compte_rendu = forms.CharField(
        label="Compte-rendu",
        max_length=TEXTE_MAX * 4,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Il figurera dans le rapport d'analyse des offres. 20 000 caractères au plus.",
    )

    def __init__(self, *args, debut: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.champs_date_heure("tenue", libelle="Audition tenue le", debut=debut)
        self.order_fields(["tenue_date", "tenue_heure", "participants", "compte_rendu"])

    def clean(self):
        cleaned = super().clean()
        cleaned["date"] = self.moment(cleaned, "tenue")
        return cleaned
