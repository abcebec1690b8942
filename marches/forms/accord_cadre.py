"""The forms of the accords-cadres: the record, a titulaire, a document, the list's filters."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from ateliers.forms import SelectLeger
from comptes.models import Organisation
from comptes.validators import PlageDeDates, valider_une_seule_ligne
from documents.forms import FichierField
from documents.verification import Usage
from marches.models import AccordCadre, Ccag, DocumentAccordCadre, Procedure, TypeGroupement
from marches.models.accord_cadre import PREMIER_ACCORD_CADRE, cpv_validator, siret_validator

PLAGE = PlageDeDates(PREMIER_ACCORD_CADRE, datetime.date(2100, 12, 31))
# La Poste's establishments share one SIREN and a key of their own (INSEE).
SIREN_LA_POSTE = "356000000"


def valider_cle_siret(valeur: str) -> None:
    """Refuse a SIRET whose check digit is wrong (Luhn), a mistyped digit most often."""
    if len(valeur) != 14 or not valeur.isdigit():
        return  # siret_validator says it
    if valeur.startswith(SIREN_LA_POSTE):
        valide = sum(int(c) for c in valeur) % 5 == 0
    else:
        total = 0
        for rang, chiffre in enumerate(reversed(valeur)):
            n = int(chiffre) * (2 if rang % 2 else 1)
            total += n - 9 if n > 9 else n
        valide = total % 10 == 0
    if not valide:
        raise ValidationError(
            "Ce SIRET n'existe pas : sa clé de contrôle ne correspond pas. Vérifiez les chiffres.",
            code="cle_siret",
        )


def _date(label: str, aide: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=aide,
        validators=[PLAGE],
        widget=forms.DateInput(
            attrs={"type": "date", "min": PLAGE.debut.isoformat(), "max": "2100-12-31"},
            format="%Y-%m-%d",
        ),
        error_messages={"invalid": "Saisissez une date valide, par exemple 01/01/2024."},
    )


def _siret(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=14,
        min_length=14,
        validators=[siret_validator, valider_cle_siret],
        help_text="14 chiffres, sans espace.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


class AccordCadreForm(DsfrBaseForm):
    """The record of an accord-cadre, as DGALN notified it."""

    reference = forms.CharField(
        label="Référence",
        max_length=50,
        validators=[valider_une_seule_ligne],
        help_text="Le numéro de l'accord-cadre, par exemple 2024-DHUP-AD1-01.",
    )
    intitule = forms.CharField(
        label="Intitulé", max_length=250, validators=[valider_une_seule_ligne]
    )
    acheteur = forms.ModelChoiceField(
        label="Acheteur",
        queryset=Organisation.objects.filter(type=Organisation.Type.DGALN).order_by("nom"),
        help_text="La DGALN, qui passe et suit l'accord-cadre.",
    )
    siret_acheteur = _siret("SIRET de l'acheteur")
    date_debut = _date("Début", "Le premier jour où un marché subséquent peut être lancé.")
    date_fin = _date("Fin", "Le dernier jour où un marché subséquent peut être lancé.")
    procedure = forms.ChoiceField(label="Procédure", choices=Procedure.choices)
    code_cpv = forms.CharField(
        label="Code CPV",
        max_length=10,
        validators=[cpv_validator],
        initial="71410000",
        help_text="71410000 : services d'urbanisme.",
    )
    ccag = forms.ChoiceField(label="CCAG", choices=Ccag.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dgaln = list(self.fields["acheteur"].queryset[:2])
        if len(dgaln) == 1 and not self.initial.get("acheteur"):
            self.initial["acheteur"] = dgaln[0]

    @classmethod
    def depuis(cls, accord_cadre: AccordCadre, **kwargs):
        """The form filled with the record's values, to correct it."""
        return cls(
            initial={
                nom: getattr(accord_cadre, nom)
                for nom in cls.base_fields
                if hasattr(accord_cadre, nom)
            },
            **kwargs,
        )

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin de l'accord-cadre suit son début.")
        return donnees


class TitulaireForm(DsfrBaseForm):
    """A groupement made titulaire of the accord-cadre."""

    groupement = forms.ModelChoiceField(
        label="Groupement",
        queryset=Organisation.objects.none(),
        help_text="Un groupement déjà enregistré, avec son mandataire et ses co-traitants "
        "(Administration › Organisations).",
        error_messages={"required": "Choisissez le groupement."},
    )
    date_notification = _date(
        "Notifié le", "La date à laquelle l'accord-cadre a été notifié à ce groupement."
    )
    type_groupement = forms.ChoiceField(
        label="Type de groupement",
        choices=TypeGroupement.choices,
        initial=TypeGroupement.CONJOINT,
    )
    siret_mandataire = _siret("SIRET du mandataire", required=False)

    def __init__(self, *args, groupements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupement"].queryset = groupements
        self.fields["siret_mandataire"].help_text = "14 chiffres, sans espace ; facultatif."


class DocumentAccordCadreForm(DsfrBaseForm):
    """A document of the accord-cadre, or a new version of one (same type and title)."""

    type_document = forms.ChoiceField(
        label="Type de document",
        choices=[("", "Choisissez"), *DocumentAccordCadre.Type.choices],
        error_messages={"required": "Choisissez le type du document."},
    )
    titre = forms.CharField(
        label="Titre",
        max_length=200,
        validators=[valider_une_seule_ligne],
        help_text="Reprenez le titre d'un document existant pour en déposer une nouvelle version.",
        error_messages={"required": "Donnez un titre au document."},
    )
    fichier = FichierField(
        usage=Usage.PIECE_MARCHE,
        label="Fichier",
        error_messages={"required": "Choisissez le fichier à déposer."},
    )


class AccordCadreFiltreForm(DsfrBaseForm):
    statut = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous"), *AccordCadre.Statut.choices],
        widget=SelectLeger,
    )
    annee = forms.TypedChoiceField(
        label="En vigueur en",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=SelectLeger,
    )

    def __init__(self, *args, annees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes les années"), *((a, str(a)) for a in annees)]
