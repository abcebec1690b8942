from django import forms
from django.forms import formset_factory
from django.urls import reverse_lazy
from dsfr.forms import DsfrBaseForm

from candidatures.models import Objet, Thematique
from comptes.models import Organisation
from territoires.models import EPCI, Departement
from territoires.selectors import epci_des_departements


class PreCandidatureForm(DsfrBaseForm):
    """What a DDT(M), a DREAL or a collectivité tells DGALN to open a pré-candidature."""

    intitule = forms.CharField(
        label="Intitulé provisoire de l'atelier",
        max_length=200,
        help_text="Par exemple « Vivre avec l'eau dans la plaine de l'Aude ». 200 caractères "
        "au plus ; il pourra changer dans la note d'opportunité.",
    )
    departements = forms.ModelMultipleChoiceField(
        label="Départements",
        queryset=Departement.objects.select_related("region"),
        help_text="Le ou les départements du périmètre (Ctrl ou Cmd pour en choisir plusieurs).",
        error_messages={"required": "Choisissez au moins un département."},
    )
    epcis = forms.ModelMultipleChoiceField(
        label="Intercommunalités (EPCI) concernées",
        queryset=EPCI.objects.none(),
        required=False,
        help_text="Celles des départements choisis ; elles deviennent collectivités porteuses "
        "de l'atelier.",
        error_messages={
            "invalid_choice": "« %(value)s » n'est pas une intercommunalité des départements "
            "choisis."
        },
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
        self.fields["departements"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("candidatures:epci_options"),
                "hx-trigger": "change",
                "hx-target": "#id_epcis",
                "hx-swap": "innerHTML",
                "hx-include": "#id_epcis",
            }
        )
        self.fields["epcis"].queryset = epci_des_departements(self._departements_choisis())

    def _departements_choisis(self):
        if self.is_bound:
            return [d for d in self.data.getlist("departements") if d]
        return [getattr(d, "pk", d) for d in self.initial.get("departements") or []]


class ContactForm(DsfrBaseForm):
    nom = forms.CharField(label="Prénom et nom", max_length=150)
    fonction = forms.CharField(label="Fonction", max_length=150, required=False)
    organisation = forms.CharField(label="Organisation", max_length=200)
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


class PartieForm(DsfrBaseForm):
    """A part of the note: every field optional (a draft saves whatever is there), plus the
    version the user started from, to detect someone else's save in between."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _formulaire_partie(modele, champs, widgets=None):
    """A PartieForm with the model's fields: their labels, help texts and limits."""
    champs_du_modele = forms.fields_for_model(modele, fields=champs, widgets=widgets)
    for nom in modele.REQUIS:
        champs_du_modele[nom].attendu = True
    return type(f"{modele.__name__}Form", (PartieForm,), champs_du_modele)


ObjetForm = _formulaire_partie(
    Objet,
    ["titre", "thematiques", "problematique", "enjeux", "contexte"],
    widgets={
        "thematiques": forms.CheckboxSelectMultiple,
        "problematique": forms.Textarea(attrs={"rows": 8}),
        "enjeux": forms.Textarea(attrs={"rows": 8}),
        "contexte": forms.Textarea(attrs={"rows": 4}),
    },
)
