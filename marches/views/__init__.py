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
from marches.views.consultation import (
    CloreConsultationView,
    ConsultationGroupementView,
    MesConsultationsView,
    QuestionsView,
    RenoncementsView,
    RenoncerView,
    RepondreView,
    RessourceTelechargerView,
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
from marches.views.offres import (
    AuditionView,
    OffreActionView,
    OffreEnregistrerView,
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
    "AuditionView",
    "CctpPartieView",
    "ClasserSansSuiteView",
    "CloreConsultationView",
    "ConsultationGroupementView",
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
    "MesConsultationsView",
    "OffreActionView",
    "OffreEnregistrerView",
    "OuvrirView",
    "PaiementView",
    "PublierView",
    "QuestionsView",
    "RectifierView",
    "RenoncementsView",
    "RenoncerView",
    "RepondreView",
    "RessourceTelechargerView",
    "TitulaireAjouterView",
    "TitulaireRetirerView",
    "TrancheLibererView",
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
