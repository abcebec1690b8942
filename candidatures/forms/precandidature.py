"""The pré-candidature: what a service or a collectivité tells DGALN, and its contacts."""

from django import forms
from django.forms import formset_factory
from dsfr.forms import DsfrBaseForm

from candidatures.forms._commun import (
    CASES_A_COCHER,
    EPCI_HORS_DEPARTEMENTS,
    CasesACocher,
    _suivre_les_departements,
)
from candidatures.models import (
    Thematique,
)
from comptes.models import Organisation
from comptes.validators import valider_une_seule_ligne
from territoires.models import EPCI, Departement


class PreCandidatureForm(DsfrBaseForm):
    """What a DDT(M), a DREAL or a collectivité tells DGALN to open a pré-candidature."""

    intitule = forms.CharField(
        label="Intitulé provisoire de l'atelier",
        max_length=200,
        validators=[valider_une_seule_ligne],
        help_text="Par exemple « Vivre avec l'eau dans la plaine de l'Aude ». 200 caractères "
        "au plus ; au dépôt de la candidature, le titre de la note d'opportunité le remplace.",
    )
    departements = forms.ModelMultipleChoiceField(
        label="Départements",
        queryset=Departement.objects.select_related("region"),
        widget=CasesACocher,
        template_name=CASES_A_COCHER,
        help_text="Le ou les départements du périmètre.",
        error_messages={"required": "Choisissez au moins un département."},
    )
    epcis = forms.ModelMultipleChoiceField(
        label="Intercommunalités (EPCI) concernées",
        queryset=EPCI.objects.none(),
        widget=CasesACocher,
        template_name=CASES_A_COCHER,
        required=False,
        help_text="Celles des départements choisis ; elles deviennent collectivités porteuses "
        "de l'atelier.",
        error_messages={"invalid_choice": EPCI_HORS_DEPARTEMENTS},
    )
    communes = forms.CharField(
        label="Communes concernées",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Si le périmètre est plus petit qu'une intercommunalité, séparées par des "
        "virgules.",
    )
    service_pilote = forms.ModelChoiceField(
        label="Service de l'État pilote",
        queryset=Organisation.objects.services_etat().select_related("departement", "region"),
        required=False,
        help_text="La DDT(M) ou la DREAL qui portera l'atelier avec les collectivités.",
    )
    operateur = forms.ModelChoiceField(
        label="Opérateur de l'État associé",
        queryset=Organisation.objects.filter(type=Organisation.Type.OPERATEUR),
        required=False,
        help_text="Établissement public, agence de l'eau… s'il s'associe à l'atelier.",
    )
    intention = forms.CharField(
        label="Intention",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="En quelques lignes : la question que le territoire se pose, ce qu'il attend "
        "d'un atelier et pourquoi maintenant. 3 000 caractères au plus.",
    )
    thematiques = forms.ModelMultipleChoiceField(
        label="Thématiques",
        queryset=Thematique.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une thématique."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _suivre_les_departements(self)


class EpciOptionsForm(forms.Form):
    """The départements the EPCI options are asked for, checked as the pré-candidature form
    checks them: a value no département has (a NUL byte, junk) offers no option."""

    departements = forms.ModelMultipleChoiceField(queryset=Departement.objects.all())

    def departements_choisis(self):
        return self.cleaned_data["departements"] if self.is_valid() else []


class ContactForm(DsfrBaseForm):
    nom = forms.CharField(
        label="Prénom et nom", max_length=150, validators=[valider_une_seule_ligne]
    )
    fonction = forms.CharField(label="Fonction", max_length=150, required=False)
    organisation = forms.CharField(
        label="Organisation", max_length=200, validators=[valider_une_seule_ligne]
    )
    email = forms.EmailField(label="Adresse électronique", max_length=254)
    telephone = forms.CharField(label="Téléphone", max_length=30, required=False)


class ContactsFormSetBase(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not self.contacts:
            raise forms.ValidationError("Indiquez au moins un contact.")

    @property
    def contacts(self):
        """The filled rows (blank ones are ignored), as the fields of Contact."""
        return [f.cleaned_data for f in self.forms if f.has_changed()]


ContactsFormSet = formset_factory(
    ContactForm, formset=ContactsFormSetBase, extra=2, max_num=10, validate_max=True
)
