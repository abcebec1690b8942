"""The thread with the porteurs, DGALN's annotations and the colleagues' opinions."""

from django import forms
from dsfr.forms import DsfrBaseForm

from documents.forms import FichierField
from documents.verification import Usage


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
