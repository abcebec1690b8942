"""HTML to PDF/A-3u with WeasyPrint, stored files embedded in it: no database, no storage.

Every resource a printed template names goes through `FetcherPortail`: `/static/` and `/media/`
are read from local files, `data:` URLs are decoded in memory, and every other URL is refused.
No template, and no user text that would slip into one, can make a worker read an arbitrary
file (`file://`) or reach the network (`http(s)://`, `//host/`).
"""

import contextvars
import gc
import io
import logging
import mimetypes
import os
import posixpath
import threading
import time
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.utils._os import safe_join
from pypdf import PdfReader
from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
_titre_en_cours: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "titre_en_cours", default=None
)


class _AvecLeTitre(logging.Filter):
    """Prefixes WeasyPrint's messages, which name no document, with the title being rendered."""

    def filter(self, record):
        titre = _titre_en_cours.get()
        if titre is not None:
            record.msg = f"PDF « {titre.replace('%', '%%')} » : {record.msg}"
        return True


# Level and handlers come from settings.LOGGING ("weasyprint": WARNING, to the root handlers).
logging.getLogger("weasyprint").addFilter(_AvecLeTitre())

# Relative and root-relative URLs of the templates resolve against this base; ".invalid" never
# resolves (RFC 2606), so even a bug that let such a URL out could not reach a real host.
BASE_URL = "https://portail.invalid/"
_ORIGINE = urlsplit(BASE_URL)

OPTIONS_PDF = {"pdf_variant": "pdf/a-3u", "pdf_tags": True}
LANGUE = "fr"


class URLRefusee(ValueError):
    """A URL that is neither a static file, a media file nor a `data:` URL."""


class FetcherPortail(URLFetcher):
    """Serves `/static/`, `/media/` and `data:` from this machine and refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        decoupee = urlsplit(url)
        if decoupee.scheme == "data":
            # Decoded in memory: a data: URL carries its content, it reads nothing.
            reponse = DataHandler().data_open(Request(url))  # noqa: S310 (data: only)
            return URLFetcherResponse(
                url, reponse.read(), {"Content-Type": reponse.headers["Content-Type"]}
            )
        if (decoupee.scheme, decoupee.netloc) != (_ORIGINE.scheme, _ORIGINE.netloc):
            raise self._refuser(url)
        chemin = unquote(decoupee.path)
        prefixe_statique = urlsplit(settings.STATIC_URL).path
        prefixe_media = urlsplit(settings.MEDIA_URL).path
        if chemin.startswith(prefixe_statique):
            nom = self._nom_sur(url, chemin.removeprefix(prefixe_statique))
            return self._reponse(url, nom, self._ouvrir_statique(nom))
        if chemin.startswith(prefixe_media):
            nom = self._nom_sur(url, chemin.removeprefix(prefixe_media))
            if not default_storage.exists(nom):
                raise FileNotFoundError(f"Fichier média introuvable : {nom}")
            return self._reponse(url, nom, default_storage.open(nom, "rb"))
        raise self._refuser(url)

    def _refuser(self, url):
        logger.warning("Ressource refusée pendant un rendu PDF : %s", url[:300])
        return URLRefusee(f"URL refusée : {url[:300]}")

    def _nom_sur(self, url, relatif):
        nom = posixpath.normpath(relatif) if relatif else ""
        if nom in ("", ".", "..") or nom.startswith(("../", "/")) or "\0" in nom:
            raise self._refuser(url)
        return nom

    @staticmethod
    def _ouvrir_statique(nom):
        chemin = finders.find(nom)
        if chemin is None and settings.STATIC_ROOT:
            # In production, collectstatic's hashed names exist only in STATIC_ROOT.
            chemin = safe_join(str(settings.STATIC_ROOT), nom)
        if chemin is None or not os.path.isfile(chemin):
            raise FileNotFoundError(f"Fichier statique introuvable : {nom}")
        # WeasyPrint closes the response, and the file with it, once it has read it.
        return open(chemin, "rb")

    @staticmethod
    def _reponse(url, nom, fichier):
        type_contenu = mimetypes.guess_type(nom)[0] or "application/octet-stream"
        if type_contenu == "text/css":
            type_contenu = "text/css; charset=utf-8"
        return URLFetcherResponse(url, fichier, {"Content-Type": type_contenu})


_polices = None
_verrou_polices = threading.Lock()


def configuration_polices():
    """The process's one FontConfiguration: each @font-face is decoded once per worker."""
    # Created at the first render, never at import, so that a prefork pool's parent (which
    # renders nothing) does not hand the same Fontconfig state to all its children.
    global _polices
    with _verrou_polices:
        if _polices is None:
            _polices = FontConfiguration()
        return _polices


@contextmanager
def collecteur_en_pause():
    """Python's cyclic garbage collector off for the block: during a render WeasyPrint allocates
    millions of objects, and each collection they trigger walks the whole heap of a long-lived
    worker (18 to 29 % of a render measured). The worker collects once after the task instead
    (documents.tasks.rendus.collecter_apres_le_rendu)."""
    actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if actif:
            gc.enable()


_gele = False


def collecter_et_geler():
    """Collect what a render left, then, once per process, freeze what survives (modules,
    templates, fonts: the warm-up) so that later collections never walk it again."""
    global _gele
    gc.collect()
    if not _gele:
        gc.freeze()
        _gele = True


@dataclass(frozen=True)
class PDFRendu:
    contenu: bytes
    nombre_pages: int


# PDF/A-3 (ISO 19005-3, 6.8) lets a file of any kind ride inside the archive as an « associated
# file »; « Supplement » says it completes the rendered document without being its source.
RELATION_PIECE_JOINTE = "Supplement"


@dataclass(frozen=True)
class PieceJointe:
    """A file embedded in the PDF, listed by `nom` in readers' attachment panel."""

    nom: str
    description: str
    contenu: bytes


def _pieces_jointes(pieces):
    """WeasyPrint attachments, each under a name of its own: the PDF's name tree of embedded
    files is keyed by name, and two letters both called « lettre.pdf » must both stay."""
    vus = set()
    for piece in pieces:
        nom, n = piece.nom, 1
        while nom in vus:
            n += 1
            base, point, extension = piece.nom.rpartition(".")
            nom = f"{base} ({n}).{extension}" if point else f"{piece.nom} ({n})"
        vus.add(nom)
        yield Attachment(
            string=piece.contenu,
            name=nom,
            description=piece.description,
            relationship=RELATION_PIECE_JOINTE,
        )


def rendre(html: str, *, titre: str, pieces_jointes: Sequence[PieceJointe] = ()) -> PDFRendu:
    """A tagged PDF/A-3u of `html`, titled `titre` if untitled, with its page count; each of
    `pieces_jointes` is embedded as an associated file, so the whole stays PDF/A-3u."""
    debut = time.perf_counter()
    jeton = _titre_en_cours.set(titre)
    try:
        with collecteur_en_pause():
            rendu = HTML(string=html, base_url=BASE_URL, url_fetcher=FetcherPortail()).render(
                font_config=configuration_polices(), **OPTIONS_PDF
            )
            rendu.metadata.title = rendu.metadata.title or titre
            rendu.metadata.lang = rendu.metadata.lang or LANGUE
            with warnings.catch_warnings():
                # WeasyPrint 70 opens its sRGB profile for PDF/A's output intent, never closes it.
                warnings.filterwarnings(
                    "ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning, r"weasyprint\."
                )
                contenu = rendu.write_pdf(
                    attachments=list(_pieces_jointes(pieces_jointes)), **OPTIONS_PDF
                )
            nombre_pages = len(rendu.pages)
            # Dropped before the collector resumes: its first collection then frees the whole
            # layout at once, instead of finding it alive and promoting it to the generation
            # that is collected most rarely (a render in the web process grew to 299 MB so).
            del rendu
    finally:
        _titre_en_cours.reset(jeton)
    logger.info(
        "PDF « %s » : %d pages, %d pièce(s) jointe(s), %d octets, %.2f s",
        titre,
        nombre_pages,
        len(pieces_jointes),
        len(contenu),
        time.perf_counter() - debut,
    )
    return PDFRendu(contenu=contenu, nombre_pages=nombre_pages)


def rendre_pdf(html: str, *, titre: str) -> bytes:
    """The bytes of `rendre(html, titre=titre)`."""
    return rendre(html, titre=titre).contenu


# The pipeline takes WeasyPrint's own count instead: pypdf parses a whole object stream at
# once, about 0.6 s for a tagged 40-page PDF, 10 % of its render.
def compter_pages(pdf_bytes: bytes) -> int:
    """Number of pages of a PDF, as a reader (pypdf) sees it."""
    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)
