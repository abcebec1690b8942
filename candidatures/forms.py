import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.forms import formset_factory
from django.urls import reverse_lazy
from dsfr.forms import DsfrBaseForm

from candidatures.models import Objet, Porteurs, Thematique
from comptes.models import Organisation
from documents.forms import FichierField
from documents.verification import Usage
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
    """A repeatable block of a part, stored as a list of rows in the model's JSON field `champ`:
    `formulaire` is the form of one row, `requis` the row's fields needed for completeness."""

    champ: str
    formulaire: type
    requis: tuple = ()
    max_lignes: int = 30

    def formset(self, data=None, files=None, *, initial=None, lignes_en_plus=0, **kwargs):
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
        return classe(data, files, initial=initial or None, prefix=self.champ, **kwargs)

    def manquants(self, lignes, libelle):
        """« <block>, ligne n : <field> » for each required field left empty in a row."""
        champs = self.formulaire.base_fields
        return [
            f"{libelle}, ligne {rang} : {champs[nom].label.lower()}"
            for rang, ligne in enumerate(lignes, start=1)
            for nom in self.requis
            if not str(ligne.get(nom) or "").strip()
        ]


class LigneForm(DsfrBaseForm):
    """One row of a repeatable block. Nothing in it is required, whatever its fields say (a
    draft saves what is there; the block's `requis` make completeness); the « retirer » box is
    labelled for what it does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            champ.required = False
        if forms.formsets.DELETION_FIELD_NAME in self.fields:
            champ = self.fields[forms.formsets.DELETION_FIELD_NAME]
            champ.label = "Retirer cette ligne"
            champ.help_text = "Elle disparaîtra au prochain enregistrement."


class PartieForm(DsfrBaseForm):
    """A part of the note: every field optional (a draft saves whatever is there), plus the
    version the user started from, to detect someone else's save in between. Its repeatable
    blocks are formsets it owns: valid only if they all are, their rows in cleaned_data."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # The model's fields in the order shown; a name in `blocs` is a repeatable block.
    ordre = ()
    blocs = {}

    def __init__(self, *args, lignes_en_plus=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.formsets = {
            nom: bloc.formset(
                self.data if self.is_bound else None,
                self.files if self.is_bound else None,
                initial=self.initial.get(nom),
                lignes_en_plus=1 if nom in lignes_en_plus else 0,
            )
            for nom, bloc in self.blocs.items()
        }

    @property
    def elements(self):
        """What the page shows, in order: a field, or a repeatable block with its formset."""
        for nom in self.ordre:
            if nom in self.blocs:
                champ = self.modele._meta.get_field(nom)
                yield {
                    "bloc": self.blocs[nom],
                    "formset": self.formsets[nom],
                    "libelle": champ.verbose_name,
                    "aide": champ.help_text,
                    "attendu": nom in self.modele.REQUIS,
                }
            else:
                yield {"champ": self[nom]}

    def lecture_seule(self):
        for form in [self, *(f for fs in self.formsets.values() for f in fs.forms)]:
            for champ in form.fields.values():
                champ.disabled = True

    def is_valid(self):
        # Every formset is checked, so that each shows its errors, not only the first one.
        formsets_valides = [fs.is_valid() for fs in self.formsets.values()]
        return super().is_valid() and all(formsets_valides)

    def _post_clean(self):
        super()._post_clean()
        for nom, formset in self.formsets.items():
            if formset.is_valid():
                self.cleaned_data[nom] = formset.lignes()

    @property
    def nombre_erreurs(self):
        return len(self.errors) + sum(
            len(fs.non_form_errors()) + sum(len(e) for e in fs.errors)
            for fs in self.formsets.values()
        )


def _formulaire_partie(modele, champs, widgets=None, blocs=()):
    """A PartieForm with the model's fields (their labels, help texts and limits) in the order
    of `champs`; the model's JSON fields named in `blocs` are edited as repeatable blocks."""
    blocs = {bloc.champ: bloc for bloc in blocs}
    simples = [nom for nom in champs if nom not in blocs]
    champs_du_modele = forms.fields_for_model(modele, fields=simples, widgets=widgets)
    for nom in modele.REQUIS:
        if nom in champs_du_modele:
            champs_du_modele[nom].attendu = True
    for bloc in blocs.values():
        bloc_attendu = bloc.champ in modele.REQUIS
        for nom in bloc.requis:
            bloc.formulaire.base_fields[nom].attendu = bloc_attendu
    return type(
        f"{modele.__name__}Form",
        (PartieForm,),
        {**champs_du_modele, "ordre": tuple(champs), "blocs": blocs, "modele": modele},
    )


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


SIREN = RegexValidator(r"^\d{9}$", "Le SIREN compte 9 chiffres, sans espace.")


class CollectivitePorteuseLigne(LigneForm):
    organisation = forms.CharField(label="Collectivité", max_length=200)
    siren = forms.CharField(
        label="SIREN",
        max_length=9,
        validators=[SIREN],
        help_text="9 chiffres ; il figure sur l'annuaire de l'administration.",
    )
    elu = forms.CharField(
        label="Élu représentant",
        max_length=150,
        help_text="Prénom, nom et qualité (maire, président, vice-président chargé de…).",
    )
    referent = forms.CharField(label="Référent technique (prénom et nom)", max_length=150)
    referent_fonction = forms.CharField(label="Fonction du référent", max_length=150)
    referent_courriel = forms.EmailField(label="Adresse électronique du référent", max_length=254)
    referent_telephone = forms.CharField(label="Téléphone du référent", max_length=30)


class PartenaireLigne(LigneForm):
    nom = forms.CharField(label="Partenaire", max_length=200)
    role = forms.CharField(label="Rôle dans l'atelier", max_length=300)


PorteursForm = _formulaire_partie(
    Porteurs,
    [
        "collectivites",
        "service_pilote",
        "referent_etat",
        "referent_etat_fonction",
        "referent_etat_courriel",
        "referent_etat_telephone",
        "operateur",
        "operateur_referent",
        "partenaires",
    ],
    blocs=[
        Bloc(
            "collectivites",
            CollectivitePorteuseLigne,
            requis=("organisation", "siren", "elu", "referent", "referent_courriel"),
            max_lignes=40,
        ),
        Bloc("partenaires", PartenaireLigne, requis=("nom",)),
    ],
)


class CourrierForm(DsfrBaseForm):
    """The upload of one signed letter: a PDF, checked by its content."""

    fichier = FichierField(
        usage=Usage.COURRIER_SIGNE,
        label="Courrier signé",
        error_messages={"required": "Choisissez le courrier signé, en PDF."},
    )


class PlusieursFichiersInput(forms.FileInput):
    allow_multiple_selected = True


class PiecesJointesField(FichierField):
    """Several files in one input, each checked like any upload."""

    widget = PlusieursFichiersInput

    def __init__(self, *, nombre_max=5, **kwargs):
        self.nombre_max = nombre_max
        super().__init__(**kwargs)
        self.help_text = f"{self.help_text} ; {nombre_max} fichiers au plus."

    def clean(self, data, initial=None):
        fichiers = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(fichiers) > self.nombre_max:
            raise forms.ValidationError(f"Joignez {self.nombre_max} fichiers au plus.")
        if not fichiers and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(PiecesJointesField, self).clean(f, initial) for f in fichiers]


class MessageForm(DsfrBaseForm):
    texte = forms.CharField(
        label="Votre message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="5 000 caractères au plus. Les destinataires sont prévenus par courriel.",
    )
    pieces = PiecesJointesField(label="Pièces jointes", usage=Usage.RESSOURCE, required=False)


class AnnotationForm(DsfrBaseForm):
    texte = forms.CharField(
        label="Annotation interne",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Visible de la DGALN seulement, jamais des porteurs. 5 000 caractères au plus.",
    )


class DemandeAvisForm(DsfrBaseForm):
    expert = forms.ModelChoiceField(
        label="Collègue sollicité",
        queryset=None,
        help_text="Un agent de la DGALN ou d'un service de l'État ; il reçoit un courriel.",
    )
    question = forms.CharField(
        label="Question posée",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce sur quoi vous attendez son avis. 3 000 caractères au plus.",
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.email})"


class AvisForm(DsfrBaseForm):
    avis = forms.CharField(
        label="Votre avis",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Visible de la DGALN seulement. 10 000 caractères au plus.",
    )
