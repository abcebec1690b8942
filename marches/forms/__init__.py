"""The forms of the marchés' pages."""

from marches.forms.finances import (
    CreditForm,
    EcheancierFormSet,
    ExecutionForm,
    FinancesFiltreForm,
    PaiementForm,
)
from marches.forms.liste import MarcheFiltreForm

__all__ = [
    "CreditForm",
    "EcheancierFormSet",
    "ExecutionForm",
    "FinancesFiltreForm",
    "MarcheFiltreForm",
    "PaiementForm",
]
