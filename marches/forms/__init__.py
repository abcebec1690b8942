"""The forms of the marchés' pages."""

from marches.forms.analyse import (
    AttributionForm,
    NotesForm,
    NotificationForm,
)
from marches.forms.finances import (
    CreditForm,
    EcheancierFormSet,
    ExecutionForm,
    FinancesFiltreForm,
    PaiementForm,
)
from marches.forms.liste import (
    MarcheFiltreForm,
)

__all__ = [
    "AttributionForm",
    "CreditForm",
    "EcheancierFormSet",
    "ExecutionForm",
    "FinancesFiltreForm",
    "MarcheFiltreForm",
    "NotesForm",
    "NotificationForm",
    "PaiementForm",
]
