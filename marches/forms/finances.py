"""The pilot's forms for the money of a notified marché: the execution with its échéancier, the
credits of a year, a payment; and DGALN's filters of the national totals."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from ateliers.forms import SelectLeger
from ateliers.services import ActionImpossible
from comptes.validators import PlageDeDates, valider_une_seule_ligne
from marches.models import Jalon, Tranche
from marches.models.finances import PREMIER_PAIEMENT, ej_validator, euros
from marches.services.finances import TrancheSaisie, verifier_echeancier
from territoires.models import Region

# The échéancier proposed when the execution opens; the pilot adapts it to the CCTP.
ECHEANCIER_PROPOSE = [
    {"libelle": "Avance à la notification", "jalon": Jalon.AVANCE, "pourcentage": 20},
    {"libelle": "Note de cadrage validée", "jalon": Jalon.NOTE_CADRAGE, "pourcentage": 10},
    {"libelle": "Session 1 tenue", "jalon": Jalon.SESSION_1, "pourcentage": 20},
    {"libelle": "Session 2 tenue", "jalon": Jalon.SESSION_2, "pourcentage": 20},
    {"libelle": "Session 3 tenue", "jalon": Jalon.SESSION_3, "pourcentage": 15},
    {"libelle": "Livrables finaux validés", "jalon": Jalon.LIVRABLES_FINAUX, "pourcentage": 15},
]


def _montant(label: str, *, minimum: str = "0", **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(minimum),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        validators=[PlageDeDates(PREMIER_PAIEMENT)],
        widget=forms.DateInput(
            attrs={"type": "date", "min": PREMIER_PAIEMENT.isoformat()}, format="%Y-%m-%d"
        ),
    )


class ExecutionForm(DsfrBaseForm):
    """The montant notifié (pre-filled from the attributaire's offer), the engagement juridique
    and the duration."""

    montant_ht = _montant("Montant notifié HT (€)", minimum="1")
    montant_tva = _montant("TVA (€)")
    montant_ttc = _montant(
        "Montant notifié TTC (€)", help_text="La somme du montant HT et de la TVA."
    )
    numero_ej = forms.CharField(
        label="Numéro d'engagement juridique (Chorus)",
        max_length=10,
        validators=[ej_validator],
        help_text="Les 10 chiffres de l'engagement juridique créé dans Chorus.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    duree_mois = forms.IntegerField(
        label="Durée d'exécution (mois)",
        initial=12,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
        help_text="Celle du CCTP : de 10 à 15 mois pour un Atelier Local.",
    )

    def clean(self):
        data = super().clean()
        ht, tva, ttc = (data.get(c) for c in ("montant_ht", "montant_tva", "montant_ttc"))
        if None not in (ht, tva, ttc) and ttc != ht + tva:
            self.add_error(
                "montant_ttc",
                f"Le montant TTC n'est pas la somme du montant HT et de la TVA "
                f"({euros(ht + tva, centimes=True)}).",
            )
        return data


class TrancheForm(DsfrBaseForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    libelle = forms.CharField(label="Libellé", max_length=200, validators=[valider_une_seule_ligne])
    # A blank first choice: an unused line of the formset stays blank, hence skipped.
    jalon = forms.ChoiceField(
        label="Jalon", choices=[("", "Choisir un jalon"), *Jalon.choices], widget=SelectLeger
    )
    pourcentage = forms.DecimalField(
        label="Pourcentage",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class EcheancierFormSetBase(BaseFormSet):
    """The échéancier saved as a whole: its percentages sum to exactly 100 %."""

    def lignes(self) -> list[TrancheSaisie]:
        """The tranches typed, in order; blank extra lines and deleted ones are left out."""
        lignes = []
        for form in self.forms:
            if not form.has_changed() and form not in self.forms[: self.initial_form_count()]:
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            lignes.append(
                TrancheSaisie(
                    libelle=data["libelle"],
                    jalon=data["jalon"],
                    pourcentage=data["pourcentage"],
                    id=data.get("id"),
                )
            )
        return lignes

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            verifier_echeancier(self.lignes())
        except ActionImpossible as exc:
            raise ValidationError(str(exc)) from exc


EcheancierFormSet = formset_factory(
    TrancheForm,
    formset=EcheancierFormSetBase,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class CreditForm(DsfrBaseForm):
    annee = forms.IntegerField(
        label="Année",
        validators=[MinValueValidator(2018), MaxValueValidator(2100)],
        initial=lambda: timezone.localdate().year,
    )
    ae = _montant("Autorisations d'engagement (AE, €)")
    cp = _montant("Crédits de paiement (CP, €)")


class PaiementForm(DsfrBaseForm):
    tranche = forms.ModelChoiceField(
        label="Tranche", queryset=Tranche.objects.none(), empty_label=None
    )
    date_service_fait = _date("Date du service fait")
    date_mandatement = _date("Date de mandatement")
    montant = _montant("Montant TTC (€)", minimum="0.01")

    def __init__(self, *args, tranches, **kwargs):
        super().__init__(*args, **kwargs)
        champ = self.fields["tranche"]
        champ.queryset = tranches
        champ.label_from_instance = lambda t: (
            f"{t.ordre}. {t.libelle} — reste {euros(t.reste(), centimes=True)}"
        )

    def clean(self):
        data = super().clean()
        service_fait, mandatement = data.get("date_service_fait"), data.get("date_mandatement")
        if service_fait and mandatement and mandatement < service_fait:
            self.add_error(
                "date_mandatement",
                "La date de mandatement ne peut pas précéder la date du service fait.",
            )
        return data


class FinancesFiltreForm(DsfrBaseForm):
    annee = forms.TypedChoiceField(
        label="Année de notification",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=SelectLeger,
    )
    region = forms.ModelChoiceField(
        label="Région",
        required=False,
        queryset=Region.objects.all(),
        empty_label="Toutes",
        widget=SelectLeger,
    )

    def __init__(self, *args, annees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes"), *((a, str(a)) for a in annees)]
