from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBaseForm

from ateliers.models import Phase
from territoires.models import Departement, Region

TRIS = {
    "intitule": "intitulé",
    "phase": "phase",
    "cree_le": "date d'ouverture",
    "phase_depuis": "date d'entrée dans la phase",
}


class SelectLeger(forms.Select):
    """Django's select, its options written here rather than by one template each, and without
    the option dictionaries Django builds for them: the 101 départements of a filter cost a
    tenth of the list page. The same HTML as Django's (one option selected, the first that
    matches)."""

    def render(self, name, value, attrs=None, renderer=None):
        valeurs = set(self.format_value(value))
        options = []
        for cle, libelle in _choix(self.choices):
            cle = "" if cle is None else str(cle)
            choisie = cle in valeurs
            if choisie:
                valeurs = set()
            options.append(
                f'<option value="{escape(cle)}"{" selected" if choisie else ""}>'
                f"{conditional_escape(libelle)}</option>"
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            # Each option escaped above.
            mark_safe("".join(options)),
        )


def _choix(choix):
    """A ModelChoiceField's choices read in one query: its own iterator goes through a
    server-side cursor on PostgreSQL (four round trips for the 101 départements)."""
    if not isinstance(choix, forms.models.ModelChoiceIterator):
        return choix
    vide = [("", choix.field.empty_label)] if choix.field.empty_label is not None else []
    return vide + [choix.choice(objet) for objet in choix.queryset.all()]


class AtelierFiltreForm(DsfrBaseForm):
    """The filters above the list of ateliers; every field is optional."""

    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Intitulé, référence (AL-2026-0012) ou commune.",
    )
    phase = forms.ChoiceField(
        label="Phase",
        required=False,
        choices=[("", "Toutes"), *Phase.choices],
        widget=SelectLeger,
    )
    region = forms.ModelChoiceField(
        label="Région",
        required=False,
        queryset=Region.objects.all(),
        empty_label="Toutes",
        widget=SelectLeger,
    )
    departement = forms.ModelChoiceField(
        label="Département",
        required=False,
        queryset=Departement.objects.all(),
        empty_label="Tous",
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
    a_traiter = forms.BooleanField(
        label="Seulement les ateliers qui attendent mon action", required=False
    )
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        widget=SelectLeger,
        choices=[("", "Les plus récents")]
        + [(k, f"{v} (croissant)") for k, v in TRIS.items()]
        + [(f"-{k}", f"{v} (décroissant)") for k, v in TRIS.items()],
    )

    def __init__(self, *args, annees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes"), *((a, str(a)) for a in annees)]


class ActionForm(DsfrBaseForm):
    """Confirms a change of phase, with an optional comment for the journal."""

    motif = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Il sera conservé dans le journal de l'atelier. 2 000 caractères au plus.",
    )


class ActionMotiveeForm(ActionForm):
    """Confirms a change that ends the atelier: the reason is required."""

    motif = forms.CharField(
        label="Motif",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Il sera conservé dans le journal de l'atelier et visible des porteurs. "
        "2 000 caractères au plus.",
        error_messages={"required": "Indiquez le motif : il sera conservé dans le journal."},
    )


def action_form(action, *args, **kwargs):
    """The confirmation form that fits this action."""
    return (ActionMotiveeForm if action.get("motif") else ActionForm)(*args, **kwargs)
