"""The upload of a signed letter."""

from dsfr.forms import DsfrBaseForm

from documents.forms import FichierField
from documents.verification import Usage


class CourrierForm(DsfrBaseForm):
    """The upload of one signed letter: a PDF, checked by its content."""

    fichier = FichierField(
        usage=Usage.COURRIER_SIGNE,
        label="Courrier signé",
        error_messages={"required": "Choisissez le courrier signé, en PDF."},
    )
