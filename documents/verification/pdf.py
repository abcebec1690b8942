"""PDF checks, parent side: the PDF is examined by pypdf in a child process (examen_pdf run as
a script) limited to MEMOIRE_PDF_MAX and killed past DUREE_PDF_MAX, since repairing a broken PDF
can take pypdf time quadratic in the file's size; its verdict becomes a page count or a refusal."""

import logging
import subprocess
import sys

from django.core.exceptions import ValidationError

from documents.verification import bornes, examen_pdf
from documents.verification.textes import bombe, entier, polyglotte

logger = logging.getLogger(__name__)


def verifier_pdf(contenu: bytes) -> int:
    """Page count of a PDF that opens, is not encrypted, has pages, whose streams decode within
    the bounds and that hides no ZIP; checked in a child process killed past its time."""
    limites = (
        bornes.DECOMPRESSION_MAX,
        bornes.DECOMPRESSION_FLUX_MAX,
        bornes.OBJETS_PDF_MAX,
        bornes.MEMOIRE_PDF_MAX,
    )
    try:
        processus = subprocess.run(  # noqa: S603 (our interpreter, our module, numbers)
            [
                sys.executable,
                "-I",
                examen_pdf.__file__,
                *map(str, (*limites, bornes.DUREE_PDF_MAX)),
            ],
            input=contenu,
            capture_output=True,
            timeout=bornes.DUREE_PDF_MAX,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _pdf_trop_complexe() from exc
    code, _, pages = processus.stdout.decode("ascii", "replace").strip().partition(" ")
    if processus.returncode or code not in examen_pdf.CODES_PDF:
        # The child died (CPU limit, or memory exhausted where Python could not recover).
        logger.warning(
            "Vérification d'un PDF interrompue (code %s) : %s",
            processus.returncode,
            processus.stderr[-1000:].decode("utf-8", "replace"),
        )
        raise _pdf_trop_complexe()
    if code == "ok":
        return int(pages)
    raise _refus_pdf(code)


def _refus_pdf(code: str) -> ValidationError:
    if code == "trop_complexe":
        return _pdf_trop_complexe()
    if code == "bombe":
        return bombe()
    if code == "polyglotte":
        return polyglotte()
    message = {
        "chiffre": "Ce PDF est protégé par un mot de passe : déposez une version sans mot de "
        "passe.",
        "sans_page": "Ce PDF ne contient aucune page.",
        "illisible": "Ce PDF est illisible ou endommagé.",
        "trop_d_objets": f"Ce PDF contient plus de {entier(bornes.OBJETS_PDF_MAX)} objets : il "
        "est trop complexe pour être vérifié et ne peut pas être accepté.",
    }[code]
    return ValidationError(message, code=code)


def _pdf_trop_complexe() -> ValidationError:
    return ValidationError(
        "Ce PDF est trop complexe pour être vérifié : il ne peut pas être accepté. "
        "Enregistrez-le à nouveau (par exemple avec « Imprimer en PDF »), puis déposez-le.",
        code="trop_complexe",
    )
