"""The pages of the marchés: one module per use case."""

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
from marches.views.marche import MarcheDetailView, MarcheListView
from marches.views.offres import AuditionView, OffreActionView, OffreEnregistrerView
from marches.views.ouverture import AbandonnerView, ClasserSansSuiteView, OuvrirView

__all__ = [
    "AbandonnerView",
    "ClasserSansSuiteView",
    "MarcheDetailView",
    "MarcheListView",
    "OuvrirView",
]
__all__ += [
    "AuditionView",
    "CloreConsultationView",
    "ConsultationGroupementView",
    "MesConsultationsView",
    "OffreActionView",
    "OffreEnregistrerView",
    "QuestionsView",
    "RenoncementsView",
    "RenoncerView",
    "RepondreView",
    "RessourceTelechargerView",
]
