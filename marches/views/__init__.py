"""The pages of the marchés: one module per use case."""

from marches.views.accord_cadre import (
    AccordCadreDetailView,
    AccordCadreFormView,
    AccordCadreListView,
    DocumentDeposerView,
    TitulaireAjouterView,
    TitulaireRetirerView,
)
from marches.views.cctp import (
    CctpPartieView,
    PublierView,
    RectifierView,
)
from marches.views.decp import (
    DecpCsvView,
    DecpMarcheView,
    DecpPageView,
    DecpTousView,
)
from marches.views.finances import (
    CreditView,
    ExecutionView,
    FinancesNationalesView,
    PaiementView,
    TrancheLibererView,
)
from marches.views.marche import (
    MarcheDetailView,
    MarcheListView,
)
from marches.views.ouverture import (
    AbandonnerView,
    ClasserSansSuiteView,
    OuvrirView,
)

__all__ = [
    "AbandonnerView",
    "AccordCadreDetailView",
    "AccordCadreFormView",
    "AccordCadreListView",
    "CctpPartieView",
    "ClasserSansSuiteView",
    "CreditView",
    "DecpCsvView",
    "DecpMarcheView",
    "DecpPageView",
    "DecpTousView",
    "DocumentDeposerView",
    "ExecutionView",
    "FinancesNationalesView",
    "MarcheDetailView",
    "MarcheListView",
    "OuvrirView",
    "PaiementView",
    "PublierView",
    "RectifierView",
    "TitulaireAjouterView",
    "TitulaireRetirerView",
    "TrancheLibererView",
]
