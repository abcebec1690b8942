"""The forms of the candidature, by use case."""

from candidatures.forms._commun import (
    CASES_A_COCHER,
    EPCI_HORS_DEPARTEMENTS,
    CasesACocher,
    DateBorneeField,
)
from candidatures.forms.blocs import Bloc, FichierDeposeInput, LigneForm, LignesFormSetBase
from candidatures.forms.courriers import CourrierForm
from candidatures.forms.echanges import (
    AnnotationForm,
    AvisForm,
    DemandeAvisForm,
    MessageForm,
    PiecesJointesField,
)
from candidatures.forms.instruction import (
    ComplementsForm,
    CorrectionForm,
    DecisionForm,
    FiltresInstructionForm,
)
from candidatures.forms.note import (
    ActeurLigne,
    CollectivitePorteuseLigne,
    DocumentPlanificationLigne,
    DynamiquesAmenagementForm,
    DynamiquesTerritoireForm,
    LocalisationForm,
    ObjectifLigne,
    ObjectifsForm,
    ObjetForm,
    PartenaireLigne,
    PorteursForm,
    RessourceDocumentaireLigne,
    RessourcesForm,
)
from candidatures.forms.partie import PartieForm
from candidatures.forms.precandidature import (
    ContactForm,
    ContactsFormSet,
    EpciOptionsForm,
    PreCandidatureForm,
)

__all__ = [
    "CASES_A_COCHER",
    "EPCI_HORS_DEPARTEMENTS",
    "ActeurLigne",
    "AnnotationForm",
    "AvisForm",
    "Bloc",
    "CasesACocher",
    "CollectivitePorteuseLigne",
    "ComplementsForm",
    "ContactForm",
    "ContactsFormSet",
    "CorrectionForm",
    "CourrierForm",
    "DateBorneeField",
    "DecisionForm",
    "DemandeAvisForm",
    "DocumentPlanificationLigne",
    "DynamiquesAmenagementForm",
    "DynamiquesTerritoireForm",
    "EpciOptionsForm",
    "FichierDeposeInput",
    "FiltresInstructionForm",
    "LigneForm",
    "LignesFormSetBase",
    "LocalisationForm",
    "MessageForm",
    "ObjectifLigne",
    "ObjectifsForm",
    "ObjetForm",
    "PartenaireLigne",
    "PartieForm",
    "PiecesJointesField",
    "PorteursForm",
    "PreCandidatureForm",
    "RessourceDocumentaireLigne",
    "RessourcesForm",
]
