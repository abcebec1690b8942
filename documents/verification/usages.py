"""What each use of an upload accepts: its kinds of file and its size limit."""

from django.conf import settings
from django.db import models

from documents.verification import bornes
from documents.verification.formats import DOCX, GEOJSON, JPEG, ODS, ODT, PDF, PNG, XLSX, Format
from documents.verification.textes import en_mo, enumerer


class Usage(models.TextChoices):
    COURRIER_SIGNE = "courrier_signe", "Courrier signé"
    RESSOURCE = "ressource", "Ressource documentaire"
    PERIMETRE = "perimetre", "Périmètre (GeoJSON)"
    PIECE_MARCHE = "piece_marche", "Pièce de marché"
    LIVRABLE = "livrable", "Livrable (PDF)"
    IMAGE_LIVRET = "image_livret", "Image du livret de capitalisation"


USAGES: dict[str, tuple[Format, ...]] = {
    Usage.COURRIER_SIGNE: (PDF,),
    Usage.RESSOURCE: (PDF, ODT, DOCX, XLSX, ODS, JPEG, PNG),
    Usage.PERIMETRE: (GEOJSON,),
    # What a buyer exchanges with its titulaires: texts, price schedules, signed PDFs.
    Usage.PIECE_MARCHE: (PDF, ODT, DOCX, XLSX, ODS),
    # A livrable is read, commented by page and archived: a PDF only.
    Usage.LIVRABLE: (PDF,),
    # Printed in the livret's PDF/A: the formats WeasyPrint embeds as they are.
    Usage.IMAGE_LIVRET: (JPEG, PNG),
}
# Usages with a lower ceiling than DOCUMENTS_TAILLE_MAX: a perimeter drawn for a map needs no
# more, and the browser parses the whole file to draw it.
TAILLES_MAX: dict[str, int] = {Usage.PERIMETRE: 5 * bornes.MO}


def texte_aide(usage: str) -> str:
    """The accepted kinds and the size limit, as a field's help text says them."""
    return f"{enumerer(USAGES[usage])}, {en_mo(taille_maximale(usage))} Mo au plus"


def taille_maximale(usage: str) -> int:
    """The size limit of an usage: the portal's, or the usage's own when it is lower."""
    return min(settings.DOCUMENTS_TAILLE_MAX, TAILLES_MAX.get(usage, settings.DOCUMENTS_TAILLE_MAX))
