"""The candidature's pages, by use case."""

from candidatures.views.courriers import CourrierDeposerView, CourrierModeleView, CourriersView
from candidatures.views.depot import DeposerView
from candidatures.views.echanges import AvisView, EchangesView, InstructionView
from candidatures.views.instruction import (
    CohorteView,
    ComplementsView,
    CorrigerView,
    DeciderView,
    DossierView,
    FileInstructionView,
    SuivreView,
)
from candidatures.views.note import PartieView
from candidatures.views.precandidature import (
    AbandonnerView,
    ConfirmerView,
    DeclinerView,
    EpciOptionsView,
    PreCandidatureOuvrirView,
)

__all__ = [
    "AbandonnerView",
    "AvisView",
    "CohorteView",
    "ComplementsView",
    "ConfirmerView",
    "CorrigerView",
    "CourrierDeposerView",
    "CourrierModeleView",
    "CourriersView",
    "DeciderView",
    "DeclinerView",
    "DeposerView",
    "DossierView",
    "EchangesView",
    "EpciOptionsView",
    "FileInstructionView",
    "InstructionView",
    "PartieView",
    "PreCandidatureOuvrirView",
    "SuivreView",
]
