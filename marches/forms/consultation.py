"""The forms of a consultation round: a question and its answer, a team's renoncement, the
filters of « Mes consultations » and of DGALN's list of renoncements."""

import datetime

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from ateliers.forms import SelectLeger
from comptes.models import Organisation
from marches.models import MotifRenoncement

TEXTE_MAX = 5000


def date_et_heure(date: datetime.date, heure: datetime.time) -> datetime.datetime:
    """A date and an hour typed in Europe/Paris, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(date, heure))


class DateHeureMixin:
    """Two fields `<prefixe>_date` and `<prefixe>_heure` read as one moment in Europe/Paris,
    between `debut` and now."""

    def champs_date_heure(self, prefixe: str, *, libelle: str, debut: datetime.date) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        fields[f"{prefixe}_date"] = forms.DateField(
            label=f"{libelle} : date",
            widget=forms.DateInput(
                attrs={
                    "type": "date",
                    "min": debut.isoformat(),
                    "max": timezone.localdate().isoformat(),
                },
                format="%Y-%m-%d",
            ),
            help_text="Heure de Paris.",
        )
        fields[f"{prefixe}_heure"] = forms.TimeField(
            label=f"{libelle} : heure",
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            help_text="Par exemple 11:45.",
        )
        self._debut = debut

    def moment(self, cleaned: dict, prefixe: str) -> datetime.datetime | None:
        date, heure = cleaned.get(f"{prefixe}_date"), cleaned.get(f"{prefixe}_heure")
        if date is None or heure is None:
            return None
        if not self._debut <= date <= timezone.localdate():
            self.add_error(  # type: ignore[attr-defined]
                f"{prefixe}_date",
                f"La date doit être comprise entre le {self._debut:%d/%m/%Y} et aujourd'hui.",
            )
            return None
        moment = date_et_heure(date, heure)
        if moment > timezone.now():
            self.add_error(f"{prefixe}_heure", "Cette heure n'est pas encore passée.")  # type: ignore[attr-defined]
            return None
        return moment


class QuestionForm(DateHeureMixin, DsfrBaseForm):
    question = forms.CharField(
        label="Question reçue sur PLACE",
        max_length=TEXTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Recopiez la question sans le nom de qui l'a posée : chaque groupement "
        "consulté la lira. 5 000 caractères au plus.",
    )
    reponse = forms.CharField(
        label="Réponse (facultatif)",
        required=False,
        max_length=TEXTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Si vous l'écrivez maintenant, elle est publiée aussitôt et chaque groupement "
        "consulté en est prévenu par courriel ; sinon, publiez-la plus tard.",
    )

    def __init__(self, *args, debut: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.champs_date_heure("recue", libelle="Reçue le", debut=debut)
        self.order_fields(["question", "recue_date", "recue_heure", "reponse"])

    def clean(self):
        cleaned = super().clean()
        cleaned["recue_le"] = self.moment(cleaned, "recue")
        return cleaned


class ReponseForm(DsfrBaseForm):
    reponse = forms.CharField(
        label="Réponse",
        max_length=TEXTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Elle sera publiée à chaque groupement consulté, prévenu par courriel. "
        "5 000 caractères au plus.",
        error_messages={"required": "Écrivez la réponse avant de la publier."},
    )


class RenoncementForm(DsfrBaseForm):
    groupement = forms.ModelChoiceField(
        label="Groupement",
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=SelectLeger,
    )
    motif = forms.ChoiceField(
        label="Pourquoi ne répondez-vous pas ?",
        choices=MotifRenoncement.choices,
        widget=forms.RadioSelect,
    )
    precision = forms.CharField(
        label="Précisions (obligatoires pour « Autre raison »)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Lues par le service pilote et la DGALN, jamais par les autres groupements. "
        "2 000 caractères au plus.",
    )

    def __init__(self, *args, groupements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupement"].queryset = groupements
        if len(groupements) == 1:
            self.fields["groupement"].widget = forms.HiddenInput()
            self.fields["groupement"].initial = groupements[0].pk

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("motif") == MotifRenoncement.AUTRE
            and not cleaned.get("precision", "").strip()
        ):
            self.add_error("precision", "Précisez la raison pour laquelle vous ne répondez pas.")
        return cleaned


class MesConsultationsFiltreForm(DsfrBaseForm):
    etat = forms.ChoiceField(
        label="Consultations",
        required=False,
        choices=[("", "Toutes"), ("ouvertes", "En cours"), ("closes", "Closes")],
        widget=SelectLeger,
    )


class RenoncementFiltreForm(DsfrBaseForm):
    annee = forms.TypedChoiceField(
        label="Année", required=False, coerce=int, empty_value=None, choices=[], widget=SelectLeger
    )
    motif = forms.ChoiceField(
        label="Motif",
        required=False,
        choices=[("", "Tous"), *MotifRenoncement.choices],
        widget=SelectLeger,
    )

    def __init__(self, *args, annees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes"), *((a, str(a)) for a in annees)]
