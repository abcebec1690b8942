"""The pages of the marchés: one module per use case."""

from marches.views.marche import MarcheDetailView, MarcheListView
from marches.views.ouverture import AbandonnerView, ClasserSansSuiteView, OuvrirView

__all__ = [
    "AbandonnerView",
    "ClasserSansSuiteView",
    "MarcheDetailView",
    "MarcheListView",
    "OuvrirView",
]
