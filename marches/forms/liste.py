"""The filters above the list of marchés; every field is optional."""

from django import forms
from dsfr.forms import DsfrBaseForm

from ateliers.forms import SelectLeger
from marches.models import AccordCadre, MarcheSubsequent
from territoires.models import Region


class MarcheFiltreForm(DsfrBaseForm):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Objet du marché ou référence de l'atelier (AL-2026-0012).",
    )
    statut = forms.ChoiceField(
        label="État",
        required=False,
        choices=[
            ("", "Tous"),
            *((v, libelle) for v, libelle in MarcheSubsequent.Statut.choices if v != "nouveau"),
        ],
        widget=SelectLeger,
    )
    accord_cadre = forms.ModelChoiceField(
        label="Accord-cadre",
        required=False,
        queryset=AccordCadre.objects.all(),
        empty_label="Tous",
        widget=SelectLeger,
    )
    region = forms.ModelChoiceField(
        label="Région",
        required=False,
        queryset=Region.objects.all(),
        empty_label="Toutes",
        widget=SelectLeger,
    )
    annee = forms.TypedChoiceField(
        label="Année d'ouverture",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=SelectLeger,
    )

    def __init__(self, *args, annees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes"), *((a, str(a)) for a in annees)]
