"""The one check of an upload: which kind of file it claims to be, whether its content is that
kind, then the checks of that kind."""

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import File

from documents.verification import bornes
from documents.verification.archives import verifier_archive
from documents.verification.formats import ENTETE_PDF, ENTETE_WEB, FORMATS_DETECTES, PDF, Format
from documents.verification.geojson import verifier_geojson
from documents.verification.images import verifier_jpeg, verifier_png
from documents.verification.pdf import verifier_pdf
from documents.verification.textes import decimal, en_mo, enumerer, polyglotte
from documents.verification.usages import USAGES, taille_maximale


@dataclass(frozen=True)
class Verification:
    """What the checks found out: recorded with the stored file."""

    format: Format
    usage: str
    nombre_pages: int | None = None
    # What the file holds, said in words (a perimeter's polygons and extent).
    resume: str = ""

    @property
    def type_contenu(self) -> str:
        return self.format.type_contenu

    @property
    def extension(self) -> str:
        return self.format.extension


def verifier(fichier: File, *, usage: str) -> Verification:
    """Return what `fichier` is if its content is an allowed, whole and harmless file for
    `usage`; raise ValidationError with a French message otherwise."""
    formats = USAGES[usage]
    taille_max = taille_maximale(usage)
    _verifier_taille(fichier.size, taille_max)
    nom = nettoyer_nom(fichier.name or "")
    attendu = _format_attendu(nom, formats)
    contenu = _lire(fichier, taille_max)
    _verifier_taille(len(contenu), taille_max)
    if attendu.famille == "geojson":
        return Verification(attendu, usage, resume=verifier_geojson(contenu, nom))
    if _detecter(contenu) is not attendu:
        raise ValidationError(
            f"Le contenu de « {nom} » n'est pas {attendu.designation}.", code="type"
        )
    # Browsers sniff the first kilobyte for HTML, PDF readers for a PDF header.
    if ENTETE_WEB.search(contenu[:1024]) or (attendu is not PDF and ENTETE_PDF in contenu[:1024]):
        raise polyglotte()
    if attendu.famille == "pdf":
        return Verification(attendu, usage, nombre_pages=verifier_pdf(contenu))
    if attendu.famille in ("ooxml", "odf"):
        verifier_archive(contenu, attendu, nom)
    elif attendu.famille == "png":
        verifier_png(contenu)
    else:
        verifier_jpeg(contenu)
    return Verification(attendu, usage)


def nettoyer_nom(nom: str) -> str:
    """The file's own name without its folders, control characters or anything but letters,
    digits, spaces, dots, dashes and underscores; never empty, never hidden, 150 characters
    at most with its extension kept."""
    nom = unicodedata.normalize("NFC", re.split(r"[/\\]", nom)[-1])
    nom = "".join(
        c if c.isalnum() or c in " .-_" else "_" for c in nom if unicodedata.category(c)[0] != "C"
    )
    nom = re.sub(r"_{2,}", "_", re.sub(r"\s+", " ", nom)).strip(" ._-")
    if not nom:
        nom = "fichier"
    radical, point, extension = nom.rpartition(".")
    if not point or len(extension) > 10:
        return nom[:150]
    return f"{radical[: 150 - len(extension) - 1].rstrip(' ._-')}.{extension}"


def _verifier_taille(taille: int | None, taille_max: int) -> None:
    if not taille:
        raise ValidationError("Le fichier est vide.", code="vide")
    if taille > taille_max:
        raise ValidationError(
            f"Ce fichier pèse {decimal(math.ceil(taille / bornes.MO * 10) / 10)} Mo : la taille "
            f"maximale est de "
            f"{en_mo(taille_max)} Mo.",
            code="trop_gros",
        )


def _format_attendu(nom: str, formats: Sequence[Format]) -> Format:
    extension = "." + nom.rpartition(".")[2].lower() if "." in nom else ""
    for format_ in formats:
        if extension in format_.extensions:
            return format_
    raise ValidationError(
        f"Ce type de fichier n'est pas accepté ici : déposez un fichier {enumerer(formats)}.",
        code="extension",
    )


def _lire(fichier: File, taille_max: int) -> bytes:
    fichier.seek(0)
    contenu = fichier.read(taille_max + 1)
    fichier.seek(0)
    return contenu


def _detecter(contenu: bytes) -> Format | None:
    genre = filetype.guess(contenu[:8192])
    return FORMATS_DETECTES.get(genre.extension) if genre else None
