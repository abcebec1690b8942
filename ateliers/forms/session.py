"""The sessions' forms: they validate what is typed, the services decide."""

from django import forms
from dsfr.forms import DsfrBaseForm

from ateliers.models import LigneLogistique, Participant, Session
from comptes.models import Organisation
from documents.forms import FichierField
from documents.verification import Usage


class SessionPlanifierForm(DsfrBaseForm):
    date = forms.DateField(
        label="Premier jour", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    nombre_de_jours = forms.TypedChoiceField(
        label="Durée", coerce=int, choices=Session._meta.get_field("nombre_de_jours").choices
    )
    heure_debut = forms.TimeField(
        label="Heure de début",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    heure_fin = forms.TimeField(
        label="Heure de fin",
        required=False,
        help_text="Du dernier jour, pour deux journées.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    lieu = forms.CharField(
        label="Lieu", max_length=200, help_text="Par exemple : salle du conseil."
    )
    adresse = forms.CharField(label="Adresse", max_length=250, required=False)
    commune = forms.CharField(label="Commune", max_length=100, required=False)

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("heure_debut"), donnees.get("heure_fin")
        if donnees.get("nombre_de_jours") == 1 and debut and fin and fin <= debut:
            self.add_error("heure_fin", "La session finit après avoir commencé.")
        return donnees


class ParticipantForm(DsfrBaseForm):
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    courriel = forms.EmailField(
        label="Adresse électronique", help_text="La convocation y est envoyée."
    )
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    college = forms.ChoiceField(label="Collège", choices=Participant.College.choices)


class PresencesForm(DsfrBaseForm):
    """One choice per participant, from the signed sheet."""

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(
                label=f"{participant.prenom} {participant.nom}",
                choices=Participant.Presence.choices,
                initial=participant.presence,
                widget=forms.RadioSelect,
            )

    def presences(self):
        return {p.pk: self.cleaned_data[f"p{p.pk}"] for p in self.participants}


class PointProgrammeForm(DsfrBaseForm):
    intitule = forms.CharField(label="Intitulé", max_length=200)
    jour = forms.TypedChoiceField(
        label="Jour", coerce=int, choices=[(1, "Premier jour"), (2, "Second jour")], initial=1
    )
    heure_debut = forms.TimeField(
        label="Début",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    heure_fin = forms.TimeField(
        label="Fin", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    intervenants = forms.CharField(label="Intervenants", max_length=300, required=False)


PointProgrammeFormSet = forms.formset_factory(PointProgrammeForm, extra=2, can_delete=True)


class LigneLogistiqueForm(DsfrBaseForm):
    poste = forms.ChoiceField(label="Poste", choices=LigneLogistique.Poste.choices)
    description = forms.CharField(label="Description", max_length=250)
    payeur = forms.ModelChoiceField(label="Payée par", queryset=Organisation.objects.none())
    cout_estime = forms.DecimalField(
        label="Coût estimé (€ TTC)", required=False, min_value=0, max_digits=10, decimal_places=2
    )
    cout_reel = forms.DecimalField(
        label="Coût réel (€ TTC)", required=False, min_value=0, max_digits=10, decimal_places=2
    )

    def __init__(self, *args, collectivites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payeur"].queryset = collectivites


class CompteRenduForm(DsfrBaseForm):
    synthese = forms.CharField(label="Synthèse", widget=forms.Textarea(attrs={"rows": 6}))
    enjeux = forms.CharField(
        label="Enjeux identifiés", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    decisions = forms.CharField(
        label="Décisions", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    prochaines_etapes = forms.CharField(
        label="Prochaines étapes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PropositionForm(DsfrBaseForm):
    texte = forms.CharField(label="Proposition", widget=forms.Textarea(attrs={"rows": 2}))
    theme = forms.CharField(label="Thème", max_length=150, required=False)
    proposee_par = forms.CharField(label="Proposée par", max_length=200, required=False)


PropositionFormSet = forms.formset_factory(PropositionForm, extra=2, can_delete=True)


class PieceCompteRenduForm(DsfrBaseForm):
    fichier = FichierField(label="Photo ou document", usage=Usage.RESSOURCE)
