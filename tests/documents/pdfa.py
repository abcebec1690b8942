"""What a printed document must be, read back with pypdf (veraPDF is not installed here): a
tagged PDF/A-3u whose headings form an outline."""

import io
import itertools
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

TITRE = re.compile(r"/H([1-6])")


def lire_pdfa(contenu: bytes) -> PdfReader:
    """The reader of `contenu`, once it has checked what PDF/A-3u and tagging require of it."""
    lecteur = PdfReader(io.BytesIO(contenu))
    version = lecteur.pdf_header.removeprefix("%PDF-")
    assert tuple(int(n) for n in version.split(".")) >= (1, 7), lecteur.pdf_header
    xmp = lecteur.xmp_metadata
    assert xmp is not None
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "U")
    catalogue = lecteur.trailer["/Root"]
    assert "/StructTreeRoot" in catalogue
    assert catalogue["/MarkInfo"]["/Marked"]
    assert catalogue["/Lang"] == "fr"
    return lecteur


def _elements(noeud):
    noeud = noeud.get_object() if hasattr(noeud, "get_object") else noeud
    if isinstance(noeud, ArrayObject):
        for enfant in noeud:
            yield from _elements(enfant)
    elif isinstance(noeud, DictionaryObject):
        if "/S" in noeud:
            yield str(noeud["/S"])
        if "/K" in noeud:
            yield from _elements(noeud["/K"])


def niveaux_des_titres(lecteur: PdfReader) -> list[int]:
    """The levels of the tagged headings (H1 → 1…), in reading order."""
    racine = lecteur.trailer["/Root"]["/StructTreeRoot"]
    return [int(m[1]) for s in _elements(racine) if (m := TITRE.fullmatch(s))]


def verifier_plan(niveaux: list[int]):
    """One H1 first, and no level skipped on the way down (RGAA 9.1)."""
    assert niveaux[:1] == [1], niveaux
    assert niveaux.count(1) == 1, niveaux
    for precedent, suivant in itertools.pairwise(niveaux):
        assert suivant <= precedent + 1, niveaux
