import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.forms import formset_factory
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from dsfr.forms import DsfrBaseForm

from ateliers.forms import SelectLeger
from ateliers.models import PREMIER_JOUR_DU_PORTAIL
from candidatures.models import (
    Candidature,
    DynamiquesAmenagement,
    DynamiquesTerritoire,
    Localisation,
    Objectifs,
    Objet,
    Porteurs,
    Ressources,
    Thematique,
)
from comptes.models import Organisation
from comptes.validators import PlageDeDates, valider_une_seule_ligne
from documents.forms import FichierField
from documents.models import FichierDepose
from documents.verification import Usage, texte_aide
from territoires.models import EPCI, Departement, Region
from territoires.selectors import epci_des_departements

EPCI_HORS_DEPARTEMENTS = "« %(value)s » n'est pas une intercommunalité des départements choisis."


class CasesACocher(forms.CheckboxSelectMultiple):
    """A long multiple choice as DSFR checkboxes, ticked with Space from the keyboard where a
    multiple select needs Ctrl-click; portail.js adds a filter field above the list. Its field
    takes `template_name=CASES_A_COCHER`: django-dsfr picks the snippet by the widget's class
    name, which this subclass changes."""

    recherche = True


CASES_A_COCHER = "dsfr/form_field_snippets/checkboxselectmultiple_snippet.html"


_aujourd_hui_iso = lazy(lambda: timezone.localdate().isoformat(), str)


class DateBorneeField(forms.DateField):
    """A typed date within a PlageDeDates (`debut`, `fin`; None: today), which the browser's
    date picker is given too."""

    def __init__(self, *, debut, fin=None, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.borner(debut=debut, fin=fin)

    def borner(self, *, debut, fin=None):
        self.plage = PlageDeDates(debut, fin)
        self.widget.attrs.update(
            min=debut.isoformat(), max=fin.isoformat() if fin else _aujourd_hui_iso()
        )

    def validate(self, value):
        super().validate(value)
        self.plage(value)


def _suivre_les_departements(form):
    """The EPCI list of `form` follows its chosen départements: only theirs are offered, and
    ticking a département reloads the list (htmx), keeping the EPCI already ticked."""
    form.fields["departements"].widget.attrs.update(
        {
            "data-hx-get": reverse_lazy("candidatures:epci_options"),
            "data-hx-trigger": "change",
            "data-hx-target": "#id_epcis-cases",
            "data-hx-swap": "innerHTML",
            "data-hx-include": "[name='departements'], [name='epcis']",
        }
    )
    if form.is_bound:
        choisis = [d for d in form.data.getlist("departements") if d and "\x00" not in d]
    else:
        choisis = [getattr(d, "pk", d) for d in form.initial.get("departements") or []]
    form.fields["epcis"].queryset = epci_des_departements(choisis[:120])


class PreCandidatureForm(DsfrBaseForm):
    """What a DDT(M), a DREAL or a collectivité tells DGALN to open a pré-candidature."""

    intitule = forms.CharField(
        label="Intitulé provisoire de l'atelier",
        max_length=200,
        validators=[valider_une_seule_ligne],
        help_text="Par exemple « Vivre avec l'eau dans la plaine de l'Aude ». 200 caractères "
        "au plus ; il pourra changer dans la note d'opportunité.",
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

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The formset adds its box after the row's own __init__: labelled here.
        if forms.formsets.DELETION_FIELD_NAME in form.fields:
            champ = form.fields[forms.formsets.DELETION_FIELD_NAME]
            champ.label = "Retirer cette ligne"
            champ.help_text = "Elle disparaîtra au prochain enregistrement."

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

    def formset(
        self, data=None, files=None, *, initial=None, lignes_en_plus=0, fichiers=None, **kwargs
    ):
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
        return classe(
            data,
            files,
            initial=initial or None,
            prefix=self.champ,
            form_kwargs={"fichiers": fichiers or {}},
            **kwargs,
        )

    def manquants(self, lignes, libelle):
        """« <block>, ligne n : <field> » for each required field left empty in a row; a tuple
        in `requis` is a set of alternatives (« fichier ou lien »), one of which is enough."""
        champs = self.formulaire.base_fields
        return [
            f"{libelle}, ligne {rang} : {' ou '.join(champs[n].label.lower() for n in noms)}"
            for rang, ligne in enumerate(lignes, start=1)
            for noms in (n if isinstance(n, tuple) else (n,) for n in self.requis)
            if not any(str(ligne.get(n) or "").strip() for n in noms)
        ]

    @property
    def champs_requis(self):
        """The names of the row's fields that completeness looks at, alternatives included."""
        return [n for r in self.requis for n in (r if isinstance(r, tuple) else (r,))]


class FichierDeposeInput(forms.FileInput):
    """A file input that names the file already deposited (with its download link): it is
    kept as long as no other file is chosen."""

    template_name = "candidatures/widgets/fichier_depose.html"
    fichier_actuel = None

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        contexte["widget"]["fichier_actuel"] = self.fichier_actuel
        return contexte


def uuid_ou_vide(valeur):
    """`valeur` as a file's uuid (str), or "" for anything else (a tampered hidden field)."""
    try:
        return str(uuid.UUID(str(valeur or "")))
    except ValueError:
        return ""


class LigneForm(DsfrBaseForm):
    """One row of a repeatable block. Nothing in it is required, whatever its fields say (a
    draft saves what is there; the block's `requis` make completeness).

    A FichierField `x` of a row comes with a hidden field `x_actuel`: the uuid of the file
    already deposited, kept when no new file is sent (autosave never sends files). Only a file
    among `fichiers` (those of this candidature) is kept; the row's value is the new upload,
    for the service to deposit, or the kept uuid."""

    def __init__(self, *args, fichiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            champ.required = False
        self.fichiers = fichiers or {}
        for nom in self.noms_fichiers:
            if not self.is_bound:
                self.initial[f"{nom}_actuel"] = self.initial.get(nom, "")
            cle = uuid_ou_vide(self[f"{nom}_actuel"].value())
            self.fields[nom].widget.fichier_actuel = self.fichiers.get(cle)

    @property
    def noms_fichiers(self):
        return [n for n, c in self.fields.items() if isinstance(c, FichierField)]

    def clean(self):
        donnees = super().clean()
        for nom in self.noms_fichiers:
            actuel = uuid_ou_vide(donnees.pop(f"{nom}_actuel", ""))
            if not donnees.get(nom):
                donnees[nom] = actuel if actuel in self.fichiers else ""
        return donnees


class PartieForm(DsfrBaseForm):
    """A part of the note: every field optional (a draft saves whatever is there), plus the
    version the user started from, to detect someone else's save in between. Its repeatable
    blocks are formsets it owns: valid only if they all are, their rows in cleaned_data."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={
            "invalid": "La version de la page est illisible : rechargez la page.",
            "min_value": "La version de la page est illisible : rechargez la page.",
            "max_value": "La version de la page est illisible : rechargez la page.",
        },
    )
    # The model's fields in the order shown; a name in `blocs` is a repeatable block.
    ordre = ()
    blocs = {}

    def __init__(self, *args, lignes_en_plus=(), contenu=None, **kwargs):
        """`contenu`, the part as saved, gives the files already deposited to show."""
        super().__init__(*args, **kwargs)
        self.contenu = contenu
        for nom in self.modele.FICHIERS:
            if nom not in self.blocs:
                self.fields[nom].widget.fichier_actuel = getattr(contenu, nom, None)
        fichiers = self._fichiers_des_lignes()
        self.formsets = {
            nom: bloc.formset(
                self.data if self.is_bound else None,
                self.files if self.is_bound else None,
                initial=self.initial.get(nom),
                lignes_en_plus=1 if nom in lignes_en_plus else 0,
                fichiers=fichiers,
            )
            for nom, bloc in self.blocs.items()
        }

    def _fichiers_des_lignes(self):
        """The files kept in rows (saved, or named by the page sent), by uuid, in one query;
        only those of this candidature."""
        if self.contenu is None:
            return {}
        cles = set()
        for nom, bloc in self.blocs.items():
            colonnes = [
                n for n, c in bloc.formulaire.base_fields.items() if isinstance(c, FichierField)
            ]
            cles |= {ligne.get(n) for ligne in getattr(self.contenu, nom) for n in colonnes}
            if self.is_bound:
                suffixes = tuple(f"-{n}_actuel" for n in colonnes)
                cles |= {
                    self.data.get(k)
                    for k in self.data
                    if suffixes and k.startswith(f"{nom}-") and k.endswith(suffixes)
                }
        cles = {c for c in map(uuid_ou_vide, cles) if c}
        if not cles:
            return {}
        return {
            str(f.uuid): f
            for f in FichierDepose.objects.filter(
                proprietaire_type=ContentType.objects.get_for_model(Candidature),
                proprietaire_id=str(self.contenu.candidature_id),
                uuid__in=cles,
            )
        }

    @property
    def elements(self):
        """What the page shows, in order: a field, a repeatable block with its formset, or a
        file with the one deposited and the box to withdraw it."""
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
            elif nom in self.modele.FICHIERS:
                yield {
                    "champ": self[nom],
                    "usage": self.modele.FICHIERS[nom],
                    "fichier": getattr(self.contenu, nom, None),
                    "resume": getattr(self.contenu, f"{nom}_resume", ""),
                    "retirer": self[f"retirer_{nom}"],
                }
            else:
                yield {"champ": self[nom]}

    @property
    def carte(self):
        """Whether the page draws a map: a perimeter is deposited."""
        return any(
            usage == Usage.PERIMETRE and getattr(self.contenu, nom, None)
            for nom, usage in self.modele.FICHIERS.items()
            if nom not in self.blocs
        )

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
        for nom in self.modele.FICHIERS:
            if nom in self.blocs:
                continue
            # A new file replaces the one deposited; no file leaves it; the box withdraws it.
            retirer = self.cleaned_data.pop(f"retirer_{nom}", False)
            if self.cleaned_data.get(nom):
                continue
            if retirer:
                self.cleaned_data[nom] = None
            else:
                self.cleaned_data.pop(nom, None)

    @property
    def nombre_erreurs(self):
        return len(self.errors) + sum(
            len(fs.non_form_errors()) + sum(len(e) for e in fs.errors)
            for fs in self.formsets.values()
        )


def _formulaire_partie(modele, champs, widgets=None, blocs=(), base=PartieForm, localises=()):
    """A PartieForm with the model's fields (their labels, help texts and limits) in the order
    of `champs`; the model's JSON fields named in `blocs` are edited as repeatable blocks, its
    file fields (modele.FICHIERS) as an upload with a box to withdraw the file."""
    blocs = {bloc.champ: bloc for bloc in blocs}
    fichiers = [nom for nom in champs if nom in modele.FICHIERS and nom not in blocs]
    simples = [nom for nom in champs if nom not in blocs and nom not in fichiers]
    champs_du_modele = forms.fields_for_model(
        modele, fields=simples, widgets=widgets, localized_fields=localises
    )
    for nom, champ in champs_du_modele.items():
        # The model's own validators (a population's ceiling) are the form's too.
        champ.validators = [*champ.validators, *modele._meta.get_field(nom)._validators]
        if isinstance(champ.widget, forms.RadioSelect) and not isinstance(
            champ, forms.ModelChoiceField
        ):
            # No « --------- » radio: an optional choice is left unticked.
            champ.choices = [(v, libelle) for v, libelle in champ.choices if v != ""]
    for nom in fichiers:
        champ = modele._meta.get_field(nom)
        champs_du_modele[nom] = FichierField(
            label=capfirst(champ.verbose_name),
            usage=modele.FICHIERS[nom],
            required=False,
            help_text=format_lazy(
                "{} {}. Le fichier n'est envoyé qu'avec le bouton « Enregistrer » : "
                "l'enregistrement automatique n'envoie pas les fichiers.",
                champ.help_text,
                lazy(texte_aide, str)(modele.FICHIERS[nom]),
            ),
            widget=FichierDeposeInput,
        )
        champs_du_modele[f"retirer_{nom}"] = forms.BooleanField(
            label="Retirer ce fichier",
            required=False,
            help_text="Il ne sera plus joint à la note au prochain enregistrement.",
        )
    for nom in modele.REQUIS:
        if nom in champs_du_modele:
            champs_du_modele[nom].attendu = True
    for bloc in blocs.values():
        bloc_attendu = bloc.champ in modele.REQUIS
        for nom in bloc.champs_requis:
            bloc.formulaire.base_fields[nom].attendu = bloc_attendu
    return type(
        f"{modele.__name__}Form",
        (base,),
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


class LocalisationFormBase(PartieForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _suivre_les_departements(self)


LocalisationForm = _formulaire_partie(
    Localisation,
    [
        "echelle",
        "departements",
        "epcis",
        "communes",
        "population",
        "superficie",
        "description",
        "perimetre",
    ],
    widgets={
        "echelle": forms.RadioSelect,
        "departements": CasesACocher,
        "epcis": CasesACocher,
        "communes": forms.Textarea(attrs={"rows": 3}),
        "description": forms.Textarea(attrs={"rows": 8}),
        # A French decimal comma: a text input, since a number input would refuse it.
        "superficie": forms.TextInput(attrs={"inputmode": "decimal"}),
    },
    base=LocalisationFormBase,
    localises=("superficie",),
)
LocalisationForm.base_fields["departements"].queryset = Departement.objects.select_related("region")
LocalisationForm.base_fields["departements"].help_text = "Le ou les départements du périmètre."
LocalisationForm.base_fields["epcis"].help_text = "Celles des départements choisis."
LocalisationForm.base_fields["departements"].template_name = CASES_A_COCHER
LocalisationForm.base_fields["epcis"].template_name = CASES_A_COCHER
LocalisationForm.base_fields["epcis"].error_messages["invalid_choice"] = EPCI_HORS_DEPARTEMENTS


class ObjectifLigne(LigneForm):
    intitule = forms.CharField(
        label="Objectif",
        max_length=200,
        help_text="En une phrase, par exemple « Partager une stratégie face au recul du trait "
        "de côte ». 200 caractères au plus.",
    )
    description = forms.CharField(
        label="Précisions",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que cet objectif recouvre et à quoi l'on saura qu'il est atteint. "
        "2\u202f000 caractères au plus.",
    )


ObjectifsForm = _formulaire_partie(
    Objectifs,
    ["objectifs", "resultats", "questions", "liens_demarches"],
    widgets={
        "resultats": forms.Textarea(attrs={"rows": 6}),
        "questions": forms.Textarea(attrs={"rows": 6}),
        "liens_demarches": forms.Textarea(attrs={"rows": 4}),
    },
    blocs=[Bloc("objectifs", ObjectifLigne, requis=("intitule",), max_lignes=15)],
)


def _choix(choices, invite):
    return [("", invite), *choices]


class ActeurLigne(LigneForm):
    nom = forms.CharField(
        label="Acteur",
        max_length=200,
        help_text="Une structure ou un groupe, par exemple « Conseil de développement », "
        "« Chambre d'agriculture », « Habitants du quartier de la gare ».",
    )
    type = forms.ChoiceField(
        label="Type d'acteur", choices=_choix(Ressources.TypeActeur.choices, "Choisir un type")
    )
    role = forms.CharField(
        label="Rôle attendu dans l'atelier",
        max_length=300,
        help_text="Par exemple : participer aux sessions, être interrogé, fournir des données.",
    )


class RessourceDocumentaireLigne(LigneForm):
    titre = forms.CharField(label="Titre du document", max_length=300)
    type = forms.ChoiceField(
        label="Type de document",
        choices=_choix(Ressources.TypeRessource.choices, "Choisir un type"),
    )
    # Already published, so not in the future; 1900 leaves room for old studies and maps.
    date = DateBorneeField(
        label="Date",
        debut=datetime.date(1900, 1, 1),
        help_text="Date de publication ou de dernière mise à jour, au format jj/mm/aaaa.",
    )
    fichier = FichierField(
        label="Fichier",
        usage=Usage.RESSOURCE,
        widget=FichierDeposeInput,
        help_text=format_lazy(
            "{}. Un fichier ou un lien ci-dessous. Le fichier n'est envoyé qu'avec le bouton "
            "« Enregistrer » : l'enregistrement automatique n'envoie pas les fichiers.",
            lazy(texte_aide, str)(Usage.RESSOURCE),
        ),
    )
    fichier_actuel = forms.CharField(widget=forms.HiddenInput, max_length=36)
    lien = forms.URLField(
        label="Lien",
        max_length=500,
        assume_scheme="https",
        help_text="Si le document est en ligne : son adresse, par exemple "
        "https://www.exemple.fr/etude.pdf.",
    )


RessourcesForm = _formulaire_partie(
    Ressources,
    ["acteurs", "documents", "moyens", "calendrier"],
    widgets={
        "moyens": forms.Textarea(attrs={"rows": 5}),
        "calendrier": forms.Textarea(attrs={"rows": 4}),
    },
    blocs=[
        Bloc("acteurs", ActeurLigne, requis=("nom", "type"), max_lignes=40),
        Bloc(
            "documents",
            RessourceDocumentaireLigne,
            requis=("titre", "type", ("fichier", "lien")),
            max_lignes=30,
        ),
    ],
)


DynamiquesTerritoireForm = _formulaire_partie(
    DynamiquesTerritoire,
    [
        "demographie",
        "economie",
        "habitat",
        "mobilites",
        "environnement",
        "risques",
        "ressources_naturelles",
    ],
    widgets={
        nom: forms.Textarea(attrs={"rows": 5})
        for nom in (
            "demographie",
            "economie",
            "habitat",
            "mobilites",
            "environnement",
            "risques",
            "ressources_naturelles",
        )
    },
)


class DocumentPlanificationLigne(LigneForm):
    type = forms.ChoiceField(
        label="Document",
        choices=_choix(DynamiquesAmenagement.TypeDocument.choices, "Choisir un document"),
    )
    intitule = forms.CharField(
        label="Intitulé",
        max_length=200,
        help_text="Par exemple « SCOT du Pays de Rennes » ou « PLUi de la communauté de "
        "communes ».",
    )
    etat = forms.ChoiceField(
        label="État",
        choices=_choix(DynamiquesAmenagement.EtatDocument.choices, "Choisir un état"),
    )
    # Both are past deliberations; the oldest documents still in force (POS, schémas
    # directeurs) go back to the loi d'orientation foncière of 1967.
    date = DateBorneeField(
        label="Date d'approbation ou de prescription",
        debut=datetime.date(1967, 1, 1),
        help_text="Approbation s'il est en vigueur, prescription s'il est en élaboration ou en "
        "révision ; au format jj/mm/aaaa.",
    )


DynamiquesAmenagementForm = _formulaire_partie(
    DynamiquesAmenagement,
    ["documents_planification", "projets", "contrats", "ingenierie"],
    widgets={
        "projets": forms.Textarea(attrs={"rows": 6}),
        "contrats": forms.Textarea(attrs={"rows": 4}),
        "ingenierie": forms.Textarea(attrs={"rows": 4}),
    },
    blocs=[
        Bloc(
            "documents_planification",
            DocumentPlanificationLigne,
            requis=("type", "etat"),
            max_lignes=20,
        )
    ],
)


class ComplementsForm(DsfrBaseForm):
    pieces = forms.MultipleChoiceField(
        label="Pièces à compléter",
        widget=forms.CheckboxSelectMultiple,
        help_text="Seules ces pièces redeviendront modifiables pour les porteurs.",
        error_messages={"required": "Cochez au moins une pièce à compléter."},
    )
    message = forms.CharField(
        label="Message aux porteurs",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ce qu'il faut préciser ou ajouter ; il est versé aux échanges. "
        "5 000 caractères au plus.",
    )

    def __init__(self, *args, pieces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pieces"].choices = pieces


class DateDecisionMixin:
    """The date of a decision falls between the dépôt of the version decided on (`depose_le`)
    and today: its letter and the cohort's review times are dated by it."""

    def __init__(self, *args, depose_le=None, **kwargs):
        super().__init__(*args, **kwargs)
        debut = max(depose_le or PREMIER_JOUR_DU_PORTAIL, PREMIER_JOUR_DU_PORTAIL)
        self.fields["date_decision"].borner(debut=debut)


class DecisionForm(DateDecisionMixin, DsfrBaseForm):
    eligible = forms.TypedChoiceField(
        label="Décision",
        choices=[("oui", "Éligible"), ("non", "Non éligible")],
        coerce=lambda valeur: valeur == "oui",
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la décision."},
    )
    motivation = forms.CharField(
        label="Motivation",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Elle figure dans la lettre de décision envoyée à tous les porteurs. "
        "5 000 caractères au plus.",
        error_messages={"required": "Écrivez la motivation de la décision."},
    )
    date_decision = DateBorneeField(
        label="Date de la décision",
        debut=PREMIER_JOUR_DU_PORTAIL,
        help_text="Entre le dépôt de la candidature et aujourd'hui, au format jj/mm/aaaa.",
        error_messages={"invalid": "Saisissez une date valide, par exemple 03/02/2026."},
    )


class CorrectionForm(DateDecisionMixin, DsfrBaseForm):
    motif = forms.CharField(
        label="Motif de la correction",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Il devient la motivation de la nouvelle décision ; la précédente reste au "
        "journal. 5 000 caractères au plus.",
        error_messages={"required": "Écrivez le motif de la correction."},
    )
    date_decision = DateBorneeField(
        label="Date de la décision corrigée",
        debut=PREMIER_JOUR_DU_PORTAIL,
        help_text="Entre le dépôt de la candidature et aujourd'hui, au format jj/mm/aaaa.",
        error_messages={"invalid": "Saisissez une date valide, par exemple 03/02/2026."},
    )


class FiltresInstructionForm(DsfrBaseForm):
    """The filters above the review queue; an unknown value is ignored, never an error page."""

    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[
            ("a_instruire", "À instruire"),
            (Candidature.Statut.DEPOSEE, "Déposée"),
            (Candidature.Statut.EN_INSTRUCTION, "En instruction"),
            (Candidature.Statut.COMPLEMENTS_DEMANDES, "Compléments demandés"),
            ("en_cours", "Toutes en cours"),
        ],
        widget=SelectLeger,
    )
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.all(),
        required=False,
        empty_label="Toutes",
        widget=SelectLeger,
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.all(),
        required=False,
        empty_label="Tous",
        widget=SelectLeger,
    )
    thematique = forms.ModelChoiceField(
        label="Thématique",
        queryset=Thematique.objects.all(),
        required=False,
        empty_label="Toutes",
        widget=SelectLeger,
    )
    # No candidature is received before the portal or after today.
    recue_du = DateBorneeField(
        label="Reçue à partir du", required=False, debut=PREMIER_JOUR_DU_PORTAIL
    )
    recue_au = DateBorneeField(
        label="Reçue jusqu'au", required=False, debut=PREMIER_JOUR_DU_PORTAIL
    )
    suivi = forms.ChoiceField(
        label="Suivie par",
        choices=[("", "Tout le monde"), ("moi", "Moi"), ("personne", "Personne")],
        required=False,
        widget=SelectLeger,
    )
    tri = forms.ChoiceField(
        label="Ordre",
        choices=[("anciennes", "Attente la plus longue d'abord"), ("recentes", "Plus récentes")],
        required=False,
        widget=SelectLeger,
    )

    def valeurs(self):
        """The valid filters only: a tampered or stale value falls back to no filter."""
        self.is_valid()
        donnees = getattr(self, "cleaned_data", {})
        return {nom: donnees.get(nom) for nom in self.fields if nom not in self.errors}
