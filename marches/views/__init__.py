"""The pages of the marchés: one module per use case."""

from marches.views.decp import DecpCsvView, DecpMarcheView, DecpPageView, DecpTousView
from marches.views.finances import (
    CreditView,
    ExecutionView,
    FinancesNationalesView,
    PaiementView,
    TrancheLibererView,
)
from marches.views.marche import MarcheDetailView, MarcheListView
from marches.views.ouverture import AbandonnerView, ClasserSansSuiteView, OuvrirView

__all__ = [
    "AbandonnerView",
    "ClasserSansSuiteView",
    "CreditView",
    "DecpCsvView",
    "DecpMarcheView",
    "DecpPageView",
    "DecpTousView",
    "ExecutionView",
    "FinancesNationalesView",
    "MarcheDetailView",
    "MarcheListView",
    "OuvrirView",
    "PaiementView",
    "TrancheLibererView",
]
