"""The review's forms: a dépôt (the PDF or the written version, and an answer to each
comment sent), a comment anchored to a part or a page, a collectivité's avis, and the
confirmation of an action. They validate input; the services fire the transitions."""

from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm

from documents.forms import FichierField
from documents.verification import Usage
from livrables.models import Avis, Commentaire

LONGUEUR = 5000


def _texte(label: str, *, requis: bool = True, aide: str = "", **messages: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=requis,
        max_length=LONGUEUR,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=aide or "5 000 caractères au plus.",
        error_messages=messages,
    )


class DepotForm(DsfrBaseForm):
    """A new version: the PDF (unless the version written in the portal is deposited), a
    message, and after corrections one required answer per comment sent."""

    message = _texte(
        "Message au service pilote",
        requis=False,
        aide="Ce qui a changé, ce qui reste à venir. 5 000 caractères au plus.",
    )

    def __init__(
        self, *args: Any, commentaires: list[Commentaire], avec_fichier: bool, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.commentaires = commentaires
        if avec_fichier:
            self.fields["fichier"] = FichierField(usage=Usage.LIVRABLE, label="PDF du livrable")
            self.order_fields(["fichier", "message"])
        for numero, commentaire in enumerate(commentaires, start=1):
            self.fields[f"reponse_{commentaire.pk}"] = _texte(
                f"Votre réponse au commentaire n° {numero}",
                required="Répondez à ce commentaire du service pilote.",
            )

    def reponses_a_ecrire(self) -> list[tuple[Commentaire, Any]]:
        """Each comment sent with the field of its answer, for the page."""
        return [(c, self[f"reponse_{c.pk}"]) for c in self.commentaires]

    def reponses(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"reponse_{c.pk}"] for c in self.commentaires}


class CommentaireForm(DsfrBaseForm):
    """A correction the pilot asks, on one part of a written version or one page of a PDF."""

    texte = _texte("Correction demandée", required="Écrivez la correction demandée.")

    def __init__(self, *args: Any, parties: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        if parties:
            self.fields["partie"] = forms.ChoiceField(
                label="Partie concernée",
                required=False,
                choices=[("", "L'ensemble du livrable")]
                + [(p.get("cle", ""), p.get("titre", "")) for p in parties],
            )
        else:
            self.fields["page"] = forms.IntegerField(
                label="Page concernée",
                required=False,
                min_value=1,
                max_value=9999,
                help_text="Laissez vide pour l'ensemble du document.",
            )
        self.order_fields(["partie", "page", "texte"])


class AvisForm(DsfrBaseForm):
    """A collectivité porteuse's avis on the version under review."""

    sens = forms.ChoiceField(
        label="Votre avis",
        choices=Avis.Sens.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez votre avis."},
    )
    texte = _texte("Motivation", requis=False)

    def __init__(self, *args: Any, collectivites: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.collectivites = {c.pk: c for c in collectivites}
        if len(collectivites) > 1:
            self.fields["collectivite"] = forms.TypedChoiceField(
                label="Au nom de",
                coerce=int,
                choices=[(c.pk, c.nom) for c in collectivites],
            )
            self.order_fields(["collectivite", "sens", "texte"])

    def collectivite(self) -> Any:
        if "collectivite" in self.fields:
            return self.collectivites[self.cleaned_data["collectivite"]]
        return next(iter(self.collectivites.values()))


class ConfirmationForm(DsfrBaseForm):
    """An action confirmed as it was shown: nothing to type but the state the user saw."""
