"""The pages of the marchés: one module per use case."""

from marches.views.accord_cadre import (
    AccordCadreDetailView,
    AccordCadreFormView,
    AccordCadreListView,
    DocumentDeposerView,
    TitulaireAjouterView,
    TitulaireRetirerView,
)
from marches.views.marche import MarcheDetailView, MarcheListView
from marches.views.ouverture import AbandonnerView, ClasserSansSuiteView, OuvrirView

__all__ = [
    "AbandonnerView",
    "AccordCadreDetailView",
    "AccordCadreFormView",
    "AccordCadreListView",
    "ClasserSansSuiteView",
    "DocumentDeposerView",
    "MarcheDetailView",
    "MarcheListView",
    "OuvrirView",
    "TitulaireAjouterView",
    "TitulaireRetirerView",
]
