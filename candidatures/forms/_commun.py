"""What several forms of the candidature share: long choices as checkboxes, bounded dates, the
EPCI list that follows the chosen départements."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy

from comptes.validators import PlageDeDates
from territoires.selectors import epci_des_departements

EPCI_HORS_DEPARTEMENTS = "« %(value)s » n'est pas une intercommunalité des départements choisis."


class CasesACocher(forms.CheckboxSelectMultiple):
    """A long multiple choice as DSFR checkboxes, ticked with Space from the keyboard where a
    multiple select needs Ctrl-click; portail.js adds a filter field above the list. Its field
    takes `template_name=CASES_A_COCHER`: django-dsfr picks the snippet by the widget's class
    name, which this subclass changes."""

    recherche = True


CASES_A_COCHER = "dsfr/form_field_snippets/checkboxselectmultiple_snippet.html"


_aujourd_hui_iso = lazy(lambda: timezone.localdate().isoformat(), str)


class DateBorneeField(forms.DateField):
    """A typed date within a PlageDeDates (`debut`, `fin`; None: today), which the browser's
    date picker is given too."""

    def __init__(self, *, debut, fin=None, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.borner(debut=debut, fin=fin)

    def borner(self, *, debut, fin=None):
        self.plage = PlageDeDates(debut, fin)
        self.widget.attrs.update(
            min=debut.isoformat(), max=fin.isoformat() if fin else _aujourd_hui_iso()
        )

    def validate(self, value):
        super().validate(value)
        self.plage(value)


def _suivre_les_departements(form):
    """The EPCI list of `form` follows its chosen départements: only theirs are offered, and
    ticking a département reloads the list (htmx), keeping the EPCI already ticked."""
    form.fields["departements"].widget.attrs.update(
        {
            "data-hx-get": reverse_lazy("candidatures:epci_options"),
            "data-hx-trigger": "change",
            "data-hx-target": "#id_epcis-cases",
            "data-hx-swap": "innerHTML",
            "data-hx-include": "[name='departements'], [name='epcis']",
        }
    )
    if form.is_bound:
        choisis = [d for d in form.data.getlist("departements") if d and "\x00" not in d]
    else:
        choisis = [getattr(d, "pk", d) for d in form.initial.get("departements") or []]
    form.fields["epcis"].queryset = epci_des_departements(choisis[:120])


def _choix(choices, invite):
    return [("", invite), *choices]
