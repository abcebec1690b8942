"""Checks an uploaded file by its content, never by its name or the browser's word for it.

No database. Every check reads at most DOCUMENTS_TAILLE_MAX bytes and stops decompressing at
DECOMPRESSION_MAX (the bounds are in `bornes`). ZIP and image checks are bounded by
construction; PDFs are checked by pypdf in a child process limited to MEMOIRE_PDF_MAX and killed
past DUREE_PDF_MAX: repairing a broken PDF can take pypdf time quadratic in the file's size.

    controle     verifier(): the kind a file claims, its content sniffed, then its own checks
    usages       what each usage accepts, and its size limit
    formats      the accepted kinds and the signatures looked for
    pdf          PDF checks (parent side), examen_pdf the child process
    archives     office documents (OOXML, ODF)
    images       PNG and JPEG
    geojson      perimeters
    textes       numbers, lists and refusals shared by the messages
"""

from documents.verification.controle import Verification, nettoyer_nom, verifier
from documents.verification.formats import (
    DOCX,
    GEOJSON,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    XLSX,
    Format,
)
from documents.verification.usages import USAGES, Usage, taille_maximale, texte_aide

__all__ = [
    "DOCX",
    "GEOJSON",
    "JPEG",
    "ODS",
    "ODT",
    "PDF",
    "PNG",
    "USAGES",
    "XLSX",
    "Format",
    "Usage",
    "Verification",
    "nettoyer_nom",
    "taille_maximale",
    "texte_aide",
    "verifier",
]
