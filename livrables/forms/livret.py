"""The livret's forms: one of the groupement's parts, and an image with its alternative."""

from django import forms
from dsfr.forms import DsfrBaseForm

from documents.forms import FichierField
from documents.verification import Usage
from livrables.selectors.livret import PARTIES_DU_LIVRET


class PartieLivretForm(DsfrBaseForm):
    texte = forms.CharField(
        label="Texte",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Séparez les paragraphes par une ligne vide.",
    )


class ImageLivretForm(DsfrBaseForm):
    fichier = FichierField(label="Image", usage=Usage.IMAGE_LIVRET)
    partie = forms.ChoiceField(label="Partie du livret", choices=PARTIES_DU_LIVRET)
    texte_alternatif = forms.CharField(
        label="Texte alternatif",
        max_length=300,
        help_text="Ce que montre l'image, pour qui ne la voit pas : le livret l'imprime avec elle.",
    )
    legende = forms.CharField(label="Légende", max_length=200, required=False)
