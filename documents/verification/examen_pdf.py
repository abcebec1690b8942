"""PDF checks, child side: pypdf's verdict on a PDF, printed as one of CODES_PDF.

Run as a script by documents.verification.pdf, with the bounds as arguments and the PDF on
stdin: in isolated mode (`python -I`) the portal is not on the path, so this module imports
nothing but the standard library and pypdf.
"""

import io
import resource
import sys

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import IndirectObject, StreamObject

CODES_PDF = frozenset(
    {
        "ok",
        "bombe",
        "polyglotte",
        "chiffre",
        "sans_page",
        "illisible",
        "trop_d_objets",
        "trop_complexe",
    }
)
# The same end record as formats.FIN_ZIP: this module cannot import the portal's.
FIN_ZIP = b"PK\x05\x06"
# Decoding JBIG2 would run an external program (jbig2dec); pypdf passes the other image codecs
# through undecoded.
FILTRES_NON_DECODES = frozenset({"/JBIG2Decode"})


class _RefusPdf(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _examiner_pdf(contenu: bytes, decompression_max: int, flux_max: int, objets_max: int) -> str:
    """The verdict on a PDF, as one of CODES_PDF ("ok <pages>" when accepted); runs in
    the child process, where pypdf may raise or loop as a hostile file makes it."""
    try:
        # jbig2dec is never run on a user's file.
        with apply_configuration(jbig2dec_binary=None):
            lecteur = PdfReader(io.BytesIO(contenu), strict=False)
            if lecteur.is_encrypted:
                return "chiffre"
            nombre_pages = len(lecteur.pages)
            if not nombre_pages:
                return "sans_page"
            intervalles = _decoder_flux(lecteur, contenu, decompression_max, flux_max, objets_max)
    except LimitReachedError:
        return "bombe"
    except _RefusPdf as exc:
        return exc.code
    except MemoryError:
        return "trop_complexe"
    except Exception:
        # A broken or hostile PDF makes pypdf raise almost anything.
        return "illisible"
    if intervalles is not None and _hors_des_flux(contenu, intervalles):
        return "polyglotte"
    return f"ok {nombre_pages}"


def _decoder_flux(
    lecteur: PdfReader, contenu: bytes, decompression_max: int, flux_max: int, objets_max: int
) -> list[tuple[int, int]] | None:
    """Decode every stream under one shared budget; return where the streams lie in the file
    when it holds a ZIP end record, so that one outside every stream can be found."""
    budget = decompression_max
    cherche_zip = FIN_ZIP in contenu
    intervalles: list[tuple[int, int]] = []
    objets = 0
    for generation, entrees in list(lecteur.xref.items()):
        for numero, position in list(entrees.items()):
            objets += 1
            if objets > objets_max:
                raise _RefusPdf("trop_d_objets")
            objet = lecteur.get_object(IndirectObject(numero, generation, lecteur))
            if not isinstance(objet, StreamObject):
                continue
            budget -= _taille_decodee(objet, min(budget, flux_max))
            if budget < 0:
                raise _RefusPdf("bombe")
            if cherche_zip:
                intervalles.append(_intervalle_du_flux(objet, contenu, position))
    return intervalles if cherche_zip else None


def _taille_decodee(objet: StreamObject, limite: int) -> int:
    filtres = objet.get("/Filter")
    filtres = filtres.get_object() if isinstance(filtres, IndirectObject) else filtres
    if not filtres:
        return len(objet.get_data())
    if not isinstance(filtres, list):
        filtres = [filtres]
    if FILTRES_NON_DECODES.intersection(str(f) for f in filtres):
        return 0
    limite = max(1, limite)
    with apply_configuration(
        zlib_maximum_output_length=limite,
        lzw_maximum_output_length=limite,
        run_length_maximum_output_length=limite,
        brotli_maximum_output_length=limite,
    ):
        return len(decode_stream_data(objet))


def _intervalle_du_flux(objet: StreamObject, contenu: bytes, position: int) -> tuple[int, int]:
    # pypdf keeps a stream's bytes as read from the file: where they are found after the
    # object's own offset is where a PDF reader sees stream data.
    brut = objet._data
    debut = contenu.find(brut, position) if brut else -1
    return (debut, debut + len(brut)) if debut >= 0 else (position, position)


def _hors_des_flux(contenu: bytes, intervalles: list[tuple[int, int]]) -> bool:
    """Whether a ZIP end record starts outside the data of every stream."""
    position = 0
    for debut, fin in sorted(intervalles):
        if contenu.find(FIN_ZIP, position, debut + len(FIN_ZIP) - 1) >= 0:
            return True
        position = max(position, fin)
    return contenu.find(FIN_ZIP, position) >= 0


def _principal() -> None:
    """Entry point of the child process: bounds from the arguments, the PDF on stdin, the
    verdict code on stdout."""
    decompression_max, flux_max, objets_max, memoire, duree = map(int, sys.argv[1:6])
    # The bound is on the memory the check itself may take, above the interpreter and the
    # libraries already mapped.
    with open("/proc/self/statm") as statm:
        deja_prise = int(statm.read().split()[0]) * resource.getpagesize()
    limite = deja_prise + memoire
    resource.setrlimit(resource.RLIMIT_AS, (limite, limite))
    resource.setrlimit(resource.RLIMIT_CPU, (duree + 1, duree + 1))
    sys.stdout.write(
        _examiner_pdf(sys.stdin.buffer.read(), decompression_max, flux_max, objets_max)
    )


if __name__ == "__main__":
    _principal()
