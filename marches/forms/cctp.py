"""The forms of the CCTP: one part (its fields drawn from the part's definition, the grid of
criteria as rows), the publication of the consultation, the rectificatif."""

import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from comptes.models import Organisation
from marches.models import MarcheSubsequent
from marches.models.cctp import Champ, Partie, decimal_ou_none, erreurs_grille
from marches.selectors.cctp import PARIS


class NombreField(forms.DecimalField):
    """A number as people type it: « 100 000 », « 1,5 »."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


def _champ_de_formulaire(champ: Champ) -> forms.Field:
    """The form field of a part's field: never required (a draft saves without it), but said
    « attendu » when completeness needs it, so that it is not labelled « facultatif »."""
    field = _champ_brut(champ)
    field.attendu = champ.requis  # type: ignore[attr-defined]
    return field


def _champ_brut(champ: Champ) -> forms.Field:
    commun: dict[str, Any] = {"label": champ.libelle[:1].upper() + champ.libelle[1:]}
    commun["required"] = False
    commun["help_text"] = champ.aide
    if champ.type == "texte":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, **commun)
    if champ.type == "ligne":
        return forms.CharField(max_length=250, **commun)
    if champ.type == "entier":
        return forms.IntegerField(
            min_value=None if champ.minimum is None else int(champ.minimum),
            max_value=None if champ.maximum is None else int(champ.maximum),
            error_messages={
                "min_value": f"Au moins {champ.minimum}.",
                "max_value": f"Au plus {champ.maximum}.",
                "invalid": "Un nombre entier.",
            },
            **commun,
        )
    if champ.type == "montant":
        return NombreField(
            min_value=champ.minimum,
            max_digits=12,
            decimal_places=2,
            error_messages={
                "min_value": "Le montant est supérieur à 0 €.",
                "invalid": "Un montant en euros, par exemple 100 000.",
            },
            **commun,
        )
    if champ.type == "jours":
        return NombreField(
            min_value=champ.minimum,
            max_value=champ.maximum,
            max_digits=3,
            decimal_places=1,
            error_messages={
                "min_value": f"Au moins {champ.minimum} jour.",
                "max_value": f"Au plus {champ.maximum} jours.",
                "invalid": "Un nombre de jours, par exemple 1,5.",
            },
            **commun,
        )
    if champ.type == "choix":
        return forms.ChoiceField(choices=[("", "—"), *champ.choix], **commun)
    raise ValueError(f"Type de champ inconnu : {champ.type}")


class LigneCritereForm(DsfrBaseForm):
    """A row of the grid: a criterion, or a sub-criterion of the criterion above it."""

    NIVEAUX = [("critere", "Critère"), ("sous_critere", "Sous-critère du critère au-dessus")]

    libelle = forms.CharField(label="Libellé", max_length=200, required=False)
    poids = NombreField(
        label="Poids sur 100",
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        error_messages={
            "min_value": "Le poids est supérieur à 0.",
            "max_value": "Le poids est au plus 100.",
            "invalid": "Un nombre, par exemple 15.",
        },
    )
    niveau = forms.ChoiceField(label="Niveau", choices=NIVEAUX, initial="critere")
    est_prix = forms.BooleanField(label="Critère du prix", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An empty row is dropped; a row kept needs both.
        for nom in ("libelle", "poids"):
            self.fields[nom].attendu = True

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        if (
            donnees.get("libelle", "").strip()
            and donnees.get("poids") is None
            and "poids" not in self.errors
        ):
            self.add_error("poids", "Donnez le poids de ce critère.")
        if donnees.get("poids") is not None and not donnees.get("libelle", "").strip():
            self.add_error("libelle", "Nommez ce critère.")
        return donnees

    @property
    def vide(self) -> bool:
        return not (self.cleaned_data.get("libelle", "").strip() or self.cleaned_data.get("poids"))


class GrilleFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(f.errors for f in self.forms):
            return
        erreurs = erreurs_grille(self.lignes())
        if erreurs:
            raise ValidationError(erreurs)

    def lignes(self) -> list[dict[str, Any]]:
        return [
            {
                "libelle": f.cleaned_data["libelle"].strip(),
                "poids": f"{f.cleaned_data['poids'].normalize():f}",
                "niveau": f.cleaned_data["niveau"],
                "est_prix": bool(f.cleaned_data.get("est_prix")),
            }
            for f in self.forms
            if f.cleaned_data and not f.vide
        ]


Grille = forms.formset_factory(LigneCritereForm, formset=GrilleFormSet, extra=2, max_num=30)


class PartieCctpForm(DsfrBaseForm):
    """One part of the CCTP, saved as a draft whatever its completeness; what is typed must
    still hold (durée, amounts, days, weights). `version` is the version the user loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, partie: Partie, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partie = partie
        for champ in partie.champs:
            self.fields[champ.nom] = _champ_de_formulaire(champ)
            dsfr_input_class_attr(self[champ.nom])
        self.grille: GrilleFormSet | None = None
        if partie.grille:
            initial = kwargs.get("initial") or {}
            self.grille = cast(
                GrilleFormSet,
                Grille(
                    args[0] if args else None,
                    prefix="criteres",
                    initial=[
                        {**ligne, "poids": decimal_ou_none(ligne.get("poids"))}
                        for ligne in initial.get("criteres", [])
                    ],
                ),
            )

    def is_valid(self) -> bool:
        valide = super().is_valid()
        return (self.grille.is_valid() if self.grille is not None else True) and valide

    def lecture_seule(self) -> None:
        for champ in self.fields.values():
            champ.disabled = True
        for ligne in self.grille.forms if self.grille is not None else ():
            for champ in ligne.fields.values():
                champ.disabled = True

    @property
    def nombre_erreurs(self) -> int:
        nombre = len(self.errors)
        if self.grille is not None and self.is_bound:
            nombre += sum(len(f.errors) for f in self.grille.forms)
            nombre += len(self.grille.non_form_errors())
        return nombre

    def valeurs(self) -> dict[str, Any]:
        """The part's values as its draft stores them (numbers as text, exact)."""
        valeurs: dict[str, Any] = {}
        for champ in self.partie.champs:
            valeur = self.cleaned_data.get(champ.nom)
            if isinstance(valeur, Decimal):
                valeur = f"{valeur.normalize():f}"
            elif isinstance(valeur, str):
                valeur = valeur.strip()
            valeurs[champ.nom] = "" if valeur is None else valeur
        if self.grille is not None:
            valeurs["criteres"] = self.grille.lignes()
        return valeurs


class PublicationForm(DsfrBaseForm):
    """The consultation as published on PLACE: its reference, its dates, who is consulted."""

    reference_place = forms.CharField(label="Référence de la consultation sur PLACE", max_length=60)
    publiee_le = forms.DateField(
        label="Publiée sur PLACE le",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_limite_jour = forms.DateField(
        label="Date limite de remise des offres",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_limite_heure = forms.TimeField(
        label="Heure limite (heure de Paris)",
        initial=datetime.time(12, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    consultes = forms.ModelMultipleChoiceField(
        label="Titulaires consultés",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tous les titulaires de l'accord-cadre par défaut ; personne d'autre.",
        error_messages={"required": "Consultez au moins un titulaire de l'accord-cadre."},
    )

    def __init__(self, *args: Any, marche: MarcheSubsequent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marche = marche
        titulaires = Organisation.objects.filter(
            titularites__accord_cadre=marche.accord_cadre
        ).order_by("nom")
        self.fields["consultes"].queryset = titulaires
        self.fields["consultes"].initial = list(titulaires)
        self.fields["publiee_le"].initial = timezone.localdate(timezone=PARIS)

    def clean_publiee_le(self) -> datetime.date:
        publiee_le = self.cleaned_data["publiee_le"]
        if publiee_le > timezone.localdate(timezone=PARIS):
            raise ValidationError("La date de publication ne peut pas être à venir.")
        if publiee_le < timezone.localdate(self.marche.ouvert_le, timezone=PARIS):
            raise ValidationError(
                "La date de publication ne peut pas précéder l'ouverture du marché."
            )
        return publiee_le

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        jour, heure = donnees.get("date_limite_jour"), donnees.get("date_limite_heure")
        if jour and heure:
            limite = datetime.datetime.combine(jour, heure, tzinfo=PARIS)
            if limite <= timezone.now():
                self.add_error("date_limite_jour", "La date limite est déjà passée.")
            elif donnees.get("publiee_le") and jour <= donnees["publiee_le"]:
                self.add_error("date_limite_jour", "La date limite suit le jour de publication.")
            donnees["date_limite"] = limite
        return donnees


class RectificatifForm(DsfrBaseForm):
    objet = forms.CharField(
        label="Objet du rectificatif",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui change dans le CCTP : il est écrit à chaque groupement consulté.",
    )
    vu = forms.IntegerField(widget=forms.HiddenInput)
