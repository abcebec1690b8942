"""DGALN's review: compléments, decision and its correction, the filters of the queue."""

from django import forms
from dsfr.forms import DsfrBaseForm

from ateliers.forms import SelectLeger
from ateliers.models import PREMIER_JOUR_DU_PORTAIL
from candidatures.forms._commun import DateBorneeField
from candidatures.models import (
    Candidature,
    Thematique,
)
from territoires.models import Departement, Region


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
