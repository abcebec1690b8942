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
from marches.views.analyse import (
    AnalyseView,
    NoterCollegialementView,
    NoterView,
    RapportProduireView,
    RapportSignerView,
)
from marches.views.attribution import (
    AttribuerView,
    DeclarerInfructueuxView,
    NotifierView,
    RelancerView,
)

__all__ += [
    "AnalyseView",
    "AttribuerView",
    "DeclarerInfructueuxView",
    "NoterCollegialementView",
    "NoterView",
    "NotifierView",
    "RapportProduireView",
    "RapportSignerView",
    "RelancerView",
]
