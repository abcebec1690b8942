"""Image checks: PNG and JPEG are walked up to their end marker, their size bounded before
Pillow decodes anything, then Pillow verifies them."""

import io
import re
import struct

from django.core.exceptions import ValidationError
from PIL import Image

from documents.verification import bornes
from documents.verification.formats import FENETRE_FIN_ZIP, FIN_ZIP
from documents.verification.textes import en_millions, polyglotte

# A JPEG marker inside entropy-coded data: 0xFF not followed by a stuffed 0x00, a restart
# marker or another fill byte.
MARQUEUR_JPEG = re.compile(rb"\xff+([^\x00\xd0-\xd7\xff])")
DEBUTS_DE_TRAME_JPEG = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _image_illisible() -> ValidationError:
    return ValidationError("Cette image est illisible ou endommagée.", code="illisible")


def _verifier_pixels(largeur: int, hauteur: int) -> None:
    if largeur * hauteur > bornes.PIXELS_MAX:
        raise ValidationError(
            f"Cette image est trop grande ({en_millions(largeur * hauteur)} millions de pixels) "
            f": réduisez-la à {en_millions(bornes.PIXELS_MAX)} millions de pixels au plus, puis "
            "déposez-la.",
            code="trop_de_pixels",
        )


def _verifier_fin(contenu: bytes, fin: int) -> None:
    if len(contenu) - fin > bornes.TOLERANCE_FIN or FIN_ZIP in contenu[-FENETRE_FIN_ZIP:]:
        raise polyglotte()


def verifier_png(contenu: bytes) -> None:
    largeur, hauteur, fin = _parcourir_png(contenu)
    _verifier_pixels(largeur, hauteur)
    _verifier_fin(contenu, fin)
    _verifier_pillow(contenu, "PNG")


def _parcourir_png(contenu: bytes) -> tuple[int, int, int]:
    """Width, height and end of a PNG, walking its chunks up to IEND."""
    position, morceaux = 8, 0
    while True:
        morceaux += 1
        # Pillow reads each chunk in Python: millions of empty chunks would hold it for seconds.
        if morceaux > bornes.MORCEAUX_PNG_MAX or position + 12 > len(contenu):
            raise _image_illisible()
        longueur, genre = struct.unpack_from(">I4s", contenu, position)
        if morceaux == 1:
            if genre != b"IHDR" or longueur != 13:
                raise _image_illisible()
            largeur, hauteur = struct.unpack_from(">II", contenu, position + 8)
        position += 12 + longueur
        if genre == b"IEND":
            return largeur, hauteur, position


def verifier_jpeg(contenu: bytes) -> None:
    largeur, hauteur, fin = _parcourir_jpeg(contenu)
    _verifier_pixels(largeur, hauteur)
    _verifier_fin(contenu, fin)
    _verifier_pillow(contenu, "JPEG")


def _parcourir_jpeg(contenu: bytes) -> tuple[int, int, int]:
    """Width, height and end of a JPEG, walking its segments up to the end marker."""
    position, dimensions, segments = 2, None, 0
    while True:
        segments += 1
        if segments > bornes.SEGMENTS_JPEG_MAX or position + 2 > len(contenu):
            raise _image_illisible()
        if contenu[position] != 0xFF:
            raise _image_illisible()
        marqueur = contenu[position + 1]
        if marqueur == 0xFF:
            position += 1
            continue
        if marqueur == 0xD9:
            break
        if 0xD0 <= marqueur <= 0xD7 or marqueur == 0x01:
            position += 2
            continue
        if position + 4 > len(contenu):
            raise _image_illisible()
        longueur = struct.unpack_from(">H", contenu, position + 2)[0]
        if longueur < 2:
            raise _image_illisible()
        if marqueur in DEBUTS_DE_TRAME_JPEG and position + 9 <= len(contenu):
            hauteur, largeur = struct.unpack_from(">HH", contenu, position + 5)
            dimensions = dimensions or (largeur, hauteur)
        position += 2 + longueur
        if marqueur == 0xDA:
            suivant = MARQUEUR_JPEG.search(contenu, position)
            if suivant is None:
                raise _image_illisible()
            position = suivant.start(1) - 1
    if dimensions is None:
        raise _image_illisible()
    return (*dimensions, position + 2)


def _verifier_pillow(contenu: bytes, format_pillow: str) -> None:
    try:
        with Image.open(io.BytesIO(contenu), formats=[format_pillow]) as image:
            largeur, hauteur = image.size
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            f"Cette image est trop grande : réduisez-la à {en_millions(bornes.PIXELS_MAX)} "
            "millions de pixels au plus, puis déposez-la.",
            code="trop_de_pixels",
        ) from exc
    except Exception as exc:
        # Pillow raises many kinds of errors on a hostile image; none may become a 500.
        raise _image_illisible() from exc
    _verifier_pixels(largeur, hauteur)
