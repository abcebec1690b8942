"""Accord-cadre and titulaires, the marché subséquent, its consultations, CCTP and offers."""

from marches.models.accord_cadre import (
    AccordCadre,
    Ccag,
    DocumentAccordCadre,
    Procedure,
    TitulaireAccordCadre,
    TypeGroupement,
)
from marches.models.marche import (
    PILOTER_MARCHE,
    CodeMarche,
    Consultation,
    Critere,
    FormulePrix,
    MarcheQuerySet,
    MarcheSubsequent,
    VersionCctp,
)
from marches.models.offre import CodeOffre, Offre, OffreQuerySet

__all__ = [
    "PILOTER_MARCHE",
    "AccordCadre",
    "Ccag",
    "CodeMarche",
    "CodeOffre",
    "Consultation",
    "Critere",
    "DocumentAccordCadre",
    "FormulePrix",
    "MarcheQuerySet",
    "MarcheSubsequent",
    "Offre",
    "OffreQuerySet",
    "Procedure",
    "TitulaireAccordCadre",
    "TypeGroupement",
    "VersionCctp",
]
from marches.models.analyse import (
    Attribution,
    CodeAnalyse,
    Lettre,
    NoteOffre,
    RapportAnalyse,
    SignatureRapport,
)

__all__ += [
    "Attribution",
    "CodeAnalyse",
    "Lettre",
    "NoteOffre",
    "RapportAnalyse",
    "SignatureRapport",
]
