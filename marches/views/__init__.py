"""The pages of the marchés: one module per use case."""

from marches.views.cctp import CctpPartieView, PublierView, RectifierView
from marches.views.marche import MarcheDetailView, MarcheListView
from marches.views.ouverture import AbandonnerView, ClasserSansSuiteView, OuvrirView

__all__ = [
    "AbandonnerView",
    "CctpPartieView",
    "ClasserSansSuiteView",
    "MarcheDetailView",
    "MarcheListView",
    "OuvrirView",
    "PublierView",
    "RectifierView",
]
