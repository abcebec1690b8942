"""The feuille de route's editor forms: an objective or an axis, an action and its financing
plan, a workbook to import."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from dsfr.forms import DsfrBaseForm

from ateliers.models import Atelier
from candidatures.models import Thematique
from comptes.models import Organisation
from comptes.validators import valider_une_seule_ligne
from documents.verification import Usage, taille_maximale
from documents.verification.textes import en_mo
from livrables.models import Axe, Horizon, Priorite, SourceFinancement, StatutAction

TEXTE_MAX = 20_000
MONTANT_MAX = Decimal("999999999999.99")


def _jour(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text="Format : jj/mm/aaaa.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _texte(label: str, aide: str = "", lignes: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXTE_MAX,
        help_text=aide,
        widget=forms.Textarea(attrs={"rows": lignes}),
    )


def _montant(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=MONTANT_MAX,
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text="En euros : 12500 ou 12500,50.",
        **kwargs,
    )


class ElementForm(DsfrBaseForm):
    """An objective or an axis: a title and what it means."""

    intitule = forms.CharField(
        label="Intitulé", max_length=300, validators=[valider_une_seule_ligne]
    )
    description = _texte("Description")


def organisations_de(atelier: Atelier) -> QuerySet[Organisation]:
    """The organisations of the atelier that may carry an action: its collectivités, its pilot,
    its opérateur."""
    return Organisation.objects.filter(
        Q(pk__in=atelier.collectivites.values("pk"))
        | Q(pk=atelier.service_pilote_id)
        | Q(pk=atelier.operateur_id)
    ).order_by("nom")


class ActionForm(DsfrBaseForm):
    axe = forms.ModelChoiceField(label="Axe", queryset=Axe.objects.none(), empty_label=None)
    titre = forms.CharField(label="Titre", max_length=300, validators=[valider_une_seule_ligne])
    description = _texte("Description", lignes=5)
    thematique = forms.ModelChoiceField(
        label="Thème",
        queryset=Thematique.objects.all(),
        required=False,
        empty_label="Aucun thème",
        help_text="La liste des thèmes du programme.",
    )
    priorite = forms.TypedChoiceField(
        label="Priorité", choices=Priorite.choices, coerce=int, initial=Priorite.MOYENNE
    )
    porteur = forms.ModelChoiceField(
        label="Porteur parmi les organisations de l'atelier",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Autre porteur (nommé ci-dessous)",
    )
    porteur_nom = forms.CharField(
        label="Autre porteur",
        max_length=200,
        required=False,
        validators=[valider_une_seule_ligne],
        help_text="Le nom d'un porteur qui n'est pas dans la liste (syndicat, association…).",
    )
    partenaires = _texte("Partenaires", "Un par ligne.")
    cout_estime = _montant("Coût estimé", required=False)
    debut = _jour("Début")
    fin = _jour("Fin")
    horizon = forms.ChoiceField(
        label="Horizon",
        choices=[("", "Non précisé"), *Horizon.choices],
        required=False,
        help_text="Si les dates ne sont pas encore connues.",
    )
    indicateurs = _texte("Indicateurs de suivi", "Un par ligne.")
    statut = forms.ChoiceField(label="Statut", choices=StatutAction.choices)

    def __init__(self, *args: Any, axes: QuerySet[Axe], atelier: Atelier, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["axe"].queryset = axes
        self.fields["porteur"].queryset = organisations_de(atelier)

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin de l'action ne peut pas précéder son début.")
        if donnees.get("porteur") and donnees.get("porteur_nom"):
            self.add_error(
                "porteur_nom",
                "Choisissez une organisation de l'atelier ou écrivez le nom d'un autre porteur, "
                "pas les deux.",
            )
        return donnees


class FinancementForm(DsfrBaseForm):
    # An empty first choice: a browser sends the selected option of an untouched line, which
    # must stay empty for the line to be left out.
    source = forms.ChoiceField(
        label="Source", choices=[("", "Choisir une source"), *SourceFinancement.choices]
    )
    precision = forms.CharField(
        label="Précision",
        max_length=200,
        required=False,
        validators=[valider_une_seule_ligne],
        help_text="Le programme ou le fonds, si besoin.",
    )
    montant = _montant("Montant")


class _Financements(forms.BaseFormSet):
    def lignes(self) -> list[dict[str, Any]]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


FinancementFormSet = forms.formset_factory(
    FinancementForm, formset=_Financements, extra=3, can_delete=True, max_num=30
)


class ImportForm(DsfrBaseForm):
    classeur = forms.FileField(
        label="Classeur de la feuille de route",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        taille = en_mo(taille_maximale(Usage.RESSOURCE))
        self.fields[
            "classeur"
        ].help_text = f"Le modèle exporté par le portail, au format XLSX, {taille} Mo au plus."
