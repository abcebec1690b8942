"""Accord-cadre and titulaires, the marché subséquent, its consultations, CCTP and offers."""

from marches.models.accord_cadre import (
    AccordCadre,
    Ccag,
    DocumentAccordCadre,
    Procedure,
    TitulaireAccordCadre,
    TypeGroupement,
)
from marches.models.cctp import (
    PARTIES,
    PARTIES_PAR_SLUG,
    CodeCctp,
    PartieCctp,
)
from marches.models.consultation import (
    Audition,
    CodeConsultation,
    MotifRenoncement,
    QuestionConsultation,
    Renoncement,
)
from marches.models.finances import (
    CodeFinances,
    CreditAnnuel,
    Execution,
    Jalon,
    Paiement,
    Tranche,
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
from marches.models.offre import (
    CodeOffre,
    Offre,
    OffreQuerySet,
)

__all__ = [
    "PARTIES",
    "PARTIES_PAR_SLUG",
    "PILOTER_MARCHE",
    "AccordCadre",
    "Audition",
    "Ccag",
    "CodeCctp",
    "CodeConsultation",
    "CodeFinances",
    "CodeMarche",
    "CodeOffre",
    "Consultation",
    "CreditAnnuel",
    "Critere",
    "DocumentAccordCadre",
    "Execution",
    "FormulePrix",
    "Jalon",
    "MarcheQuerySet",
    "MarcheSubsequent",
    "MotifRenoncement",
    "Offre",
    "OffreQuerySet",
    "Paiement",
    "PartieCctp",
    "Procedure",
    "QuestionConsultation",
    "Renoncement",
    "TitulaireAccordCadre",
    "Tranche",
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
