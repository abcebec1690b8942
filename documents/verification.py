"""Checks an uploaded file by its content, never by its name or the browser's word for it.

No database. Every check reads at most DOCUMENTS_TAILLE_MAX bytes and stops decompressing at
DECOMPRESSION_MAX. ZIP and image checks are bounded by construction; PDFs are checked by pypdf
in a child process (this module run as a script) limited to MEMOIRE_PDF_MAX and killed past
DUREE_PDF_MAX: repairing a broken PDF can take pypdf time quadratic in the file's size.
"""

import io
import json
import logging
import math
import re
import resource
import struct
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from PIL import Image
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import IndirectObject, StreamObject

__all__ = [
    "USAGES",
    "Format",
    "Usage",
    "Verification",
    "nettoyer_nom",
    "taille_maximale",
    "texte_aide",
    "verifier",
]

# Bounds of the checks; module constants so that tests can lower them.
DECOMPRESSION_MAX = 200 * 1024 * 1024
# pypdf's own default per stream: a larger stream would fail later in any pypdf reader anyway.
DECOMPRESSION_FLUX_MAX = 75_000_000
OBJETS_PDF_MAX = 50_000
DUREE_PDF_MAX = 10
MEMOIRE_PDF_MAX = 512 * 1024 * 1024
MEMBRES_ZIP_MAX = 10_000
RATIO_ZIP_MAX = 100
TAILLE_MEMBRE_SURVEILLEE = 1024 * 1024
PIXELS_MAX = 50_000_000
SEGMENTS_JPEG_MAX = 10_000
MORCEAUX_PNG_MAX = 50_000
# Some writers pad a file with a few bytes after its end marker; a hidden payload needs more.
TOLERANCE_FIN = 16
TAILLE_LECTURE = 1024 * 1024

MO = 1024 * 1024
# A ZIP reader looks for its end record in the last 64 KiB (plus the record itself).
FENETRE_FIN_ZIP = 65_535 + 22
FIN_ZIP = b"PK\x05\x06"
REPERTOIRE_ZIP = b"PK\x01\x02"
ENTETE_WEB = re.compile(rb"<\s*(html|script|body|svg|iframe|!doctype\s+html)", re.IGNORECASE)
ENTETE_PDF = b"%PDF-"
# A JPEG marker inside entropy-coded data: 0xFF not followed by a stuffed 0x00, a restart
# marker or another fill byte.
MARQUEUR_JPEG = re.compile(rb"\xff+([^\x00\xd0-\xd7\xff])")
DEBUTS_DE_TRAME_JPEG = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Decoding JBIG2 would run an external program (jbig2dec); pypdf passes the other image codecs
# through undecoded.
FILTRES_NON_DECODES = frozenset({"/JBIG2Decode"})

logger = logging.getLogger(__name__)


class Usage(models.TextChoices):
    COURRIER_SIGNE = "courrier_signe", "Courrier signé"
    RESSOURCE = "ressource", "Ressource documentaire"
    PERIMETRE = "perimetre", "Périmètre (GeoJSON)"


@dataclass(frozen=True)
class Format:
    """A kind of file the portal accepts, and what its content must look like."""

    libelle: str
    designation: str
    type_contenu: str
    extensions: tuple[str, ...]
    famille: str
    membre_principal: str = ""
    marque: bytes = b""

    @property
    def extension(self):
        return self.extensions[0]


PDF = Format("PDF", "un PDF", "application/pdf", (".pdf",), "pdf")
ODT = Format(
    "ODT",
    "un document texte OpenDocument (ODT)",
    "application/vnd.oasis.opendocument.text",
    (".odt",),
    "odf",
    membre_principal="content.xml",
    marque=b"application/vnd.oasis.opendocument.text",
)
ODS = Format(
    "ODS",
    "un classeur OpenDocument (ODS)",
    "application/vnd.oasis.opendocument.spreadsheet",
    (".ods",),
    "odf",
    membre_principal="content.xml",
    marque=b"application/vnd.oasis.opendocument.spreadsheet",
)
DOCX = Format(
    "DOCX",
    "un document Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "ooxml",
    membre_principal="word/document.xml",
    marque=b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
)
XLSX = Format(
    "XLSX",
    "un classeur Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    "ooxml",
    membre_principal="xl/workbook.xml",
    marque=b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
JPEG = Format("JPEG", "une image JPEG", "image/jpeg", (".jpg", ".jpeg"), "jpeg")
PNG = Format("PNG", "une image PNG", "image/png", (".png",), "png")
# Recognised by parsing, not by filetype: JSON has no magic number.
GEOJSON = Format(
    "GeoJSON", "un fichier GeoJSON", "application/geo+json", (".geojson", ".json"), "geojson"
)

# filetype's extension for what it recognised; an animated PNG is still a PNG.
FORMATS_DETECTES = {
    "pdf": PDF,
    "odt": ODT,
    "ods": ODS,
    "docx": DOCX,
    "xlsx": XLSX,
    "jpg": JPEG,
    "png": PNG,
    "apng": PNG,
}

USAGES = {
    Usage.COURRIER_SIGNE: (PDF,),
    Usage.RESSOURCE: (PDF, ODT, DOCX, XLSX, ODS, JPEG, PNG),
    Usage.PERIMETRE: (GEOJSON,),
}
# Usages with a lower ceiling than DOCUMENTS_TAILLE_MAX: a perimeter drawn for a map needs no
# more, and the browser parses the whole file to draw it.
TAILLES_MAX = {Usage.PERIMETRE: 5 * MO}


@dataclass(frozen=True)
class Verification:
    """What the checks found out: recorded with the stored file."""

    format: Format
    usage: str
    nombre_pages: int | None = None
    # What the file holds, said in words (a perimeter's polygons and extent).
    resume: str = ""

    @property
    def type_contenu(self):
        return self.format.type_contenu

    @property
    def extension(self):
        return self.format.extension


def verifier(fichier, *, usage) -> Verification:
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
        return Verification(attendu, usage, resume=_verifier_geojson(contenu, nom))
    if _detecter(contenu) is not attendu:
        raise ValidationError(
            f"Le contenu de « {nom} » n'est pas {attendu.designation}.", code="type"
        )
    # Browsers sniff the first kilobyte for HTML, PDF readers for a PDF header.
    if ENTETE_WEB.search(contenu[:1024]) or (attendu is not PDF and ENTETE_PDF in contenu[:1024]):
        raise _polyglotte()
    if attendu.famille == "pdf":
        return Verification(attendu, usage, nombre_pages=_verifier_pdf(contenu))
    if attendu.famille in ("ooxml", "odf"):
        _verifier_archive(contenu, attendu, nom)
    elif attendu.famille == "png":
        _verifier_png(contenu)
    else:
        _verifier_jpeg(contenu)
    return Verification(attendu, usage)


def texte_aide(usage):
    """The accepted kinds and the size limit, as a field's help text says them."""
    return f"{_enumerer(USAGES[usage])}, {_en_mo(taille_maximale(usage))} Mo au plus"


def taille_maximale(usage):
    """The size limit of an usage: the portal's, or the usage's own when it is lower."""
    return min(settings.DOCUMENTS_TAILLE_MAX, TAILLES_MAX.get(usage, settings.DOCUMENTS_TAILLE_MAX))


def nettoyer_nom(nom):
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


def _en_mo(octets):
    return _decimal(octets / MO)


def _decimal(nombre):
    return f"{nombre:.1f}".removesuffix(".0").replace(".", ",")


def _entier(nombre):
    return f"{nombre:,}".replace(",", "\u202f")


def _enumerer(formats):
    libelles = [f.libelle for f in formats]
    if len(libelles) == 1:
        return libelles[0]
    return f"{', '.join(libelles[:-1])} ou {libelles[-1]}"


def _verifier_taille(taille, taille_max):
    if not taille:
        raise ValidationError("Le fichier est vide.", code="vide")
    if taille > taille_max:
        raise ValidationError(
            f"Ce fichier pèse {_decimal(math.ceil(taille / MO * 10) / 10)} Mo : la taille "
            f"maximale est de "
            f"{_en_mo(taille_max)} Mo.",
            code="trop_gros",
        )


def _format_attendu(nom, formats):
    extension = "." + nom.rpartition(".")[2].lower() if "." in nom else ""
    for format_ in formats:
        if extension in format_.extensions:
            return format_
    raise ValidationError(
        f"Ce type de fichier n'est pas accepté ici : déposez un fichier {_enumerer(formats)}.",
        code="extension",
    )


def _lire(fichier, taille_max):
    fichier.seek(0)
    contenu = fichier.read(taille_max + 1)
    fichier.seek(0)
    return contenu


def _detecter(contenu):
    genre = filetype.guess(contenu[:8192])
    return FORMATS_DETECTES.get(genre.extension) if genre else None


def _polyglotte():
    return ValidationError(
        "Ce fichier cache un autre format (page web, archive ou données ajoutées à la fin) : "
        "il ne peut pas être accepté. Enregistrez-le à nouveau depuis le logiciel qui l'a "
        "produit, puis déposez-le.",
        code="polyglotte",
    )


def _bombe():
    return ValidationError(
        "Ce fichier contient des données compressées démesurées (une « bombe de "
        "décompression ») : il ne peut pas être accepté.",
        code="bombe",
    )


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


def _verifier_pdf(contenu):
    """Page count of a PDF that opens, is not encrypted, has pages, whose streams decode within
    the bounds and that hides no ZIP; checked in a child process killed past its time."""
    bornes = (DECOMPRESSION_MAX, DECOMPRESSION_FLUX_MAX, OBJETS_PDF_MAX, MEMOIRE_PDF_MAX)
    try:
        processus = subprocess.run(  # noqa: S603 (our interpreter, our module, numbers)
            [sys.executable, "-I", __file__, *map(str, (*bornes, DUREE_PDF_MAX))],
            input=contenu,
            capture_output=True,
            timeout=DUREE_PDF_MAX,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _pdf_trop_complexe() from exc
    code, _, pages = processus.stdout.decode("ascii", "replace").strip().partition(" ")
    if processus.returncode or code not in CODES_PDF:
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


def _refus_pdf(code):
    if code == "trop_complexe":
        return _pdf_trop_complexe()
    if code == "bombe":
        return _bombe()
    if code == "polyglotte":
        return _polyglotte()
    message = {
        "chiffre": "Ce PDF est protégé par un mot de passe : déposez une version sans mot de "
        "passe.",
        "sans_page": "Ce PDF ne contient aucune page.",
        "illisible": "Ce PDF est illisible ou endommagé.",
        "trop_d_objets": f"Ce PDF contient plus de {_entier(OBJETS_PDF_MAX)} objets : il est "
        "trop complexe pour être vérifié et ne peut pas être accepté.",
    }[code]
    return ValidationError(message, code=code)


def _pdf_trop_complexe():
    return ValidationError(
        "Ce PDF est trop complexe pour être vérifié : il ne peut pas être accepté. "
        "Enregistrez-le à nouveau (par exemple avec « Imprimer en PDF »), puis déposez-le.",
        code="trop_complexe",
    )


class _RefusPdf(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _examiner_pdf(contenu, decompression_max, flux_max, objets_max):
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


def _decoder_flux(lecteur, contenu, decompression_max, flux_max, objets_max):
    """Decode every stream under one shared budget; return where the streams lie in the file
    when it holds a ZIP end record, so that one outside every stream can be found."""
    budget = decompression_max
    cherche_zip = FIN_ZIP in contenu
    intervalles = []
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


def _taille_decodee(objet, limite):
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


def _intervalle_du_flux(objet, contenu, position):
    # pypdf keeps a stream's bytes as read from the file: where they are found after the
    # object's own offset is where a PDF reader sees stream data.
    brut = objet._data
    debut = contenu.find(brut, position) if brut else -1
    return (debut, debut + len(brut)) if debut >= 0 else (position, position)


def _hors_des_flux(contenu, intervalles):
    """Whether a ZIP end record starts outside the data of every stream."""
    position = 0
    for debut, fin in sorted(intervalles):
        if contenu.find(FIN_ZIP, position, debut + len(FIN_ZIP) - 1) >= 0:
            return True
        position = max(position, fin)
    return contenu.find(FIN_ZIP, position) >= 0


def _verifier_archive(contenu, format_, nom):
    """An OOXML or ODF document: a real ZIP with the members of its kind, no macros, no
    trailing payload, and members that decompress within the bounds."""
    pas_du_type = ValidationError(
        f"Le contenu de « {nom} » n'est pas {format_.designation}.", code="type"
    )
    illisible = ValidationError("Ce document est illisible ou endommagé.", code="illisible")
    # Each central directory entry starts with this signature: counting them bounds the
    # work zipfile does below, whatever the end record declares.
    if contenu.count(REPERTOIRE_ZIP) > MEMBRES_ZIP_MAX:
        raise ValidationError(
            f"Ce document contient plus de {_entier(MEMBRES_ZIP_MAX)} éléments : il ne peut pas "
            "être accepté.",
            code="trop_de_membres",
        )
    fin = contenu.rfind(FIN_ZIP, max(0, len(contenu) - FENETRE_FIN_ZIP))
    if fin < 0 or len(contenu) - fin < 22:
        raise illisible
    longueur_commentaire = struct.unpack_from("<H", contenu, fin + 20)[0]
    if len(contenu) - (fin + 22 + longueur_commentaire) > TOLERANCE_FIN:
        raise _polyglotte()
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
    except Exception as exc:
        # zipfile raises many kinds of errors on a hostile archive; none may become a 500.
        raise illisible from exc
    with archive:
        _verifier_membres(archive, format_, pas_du_type, illisible)


def _verifier_membres(archive, format_, pas_du_type, illisible):
    membres = archive.infolist()
    if sum(m.file_size for m in membres) > DECOMPRESSION_MAX or any(
        m.file_size > TAILLE_MEMBRE_SURVEILLEE and m.file_size > RATIO_ZIP_MAX * m.compress_size
        for m in membres
    ):
        raise _bombe()
    if any(m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for m in membres):
        # Office suites only store or deflate; bzip2 and LZMA would cost far more time to check.
        raise illisible
    if any(m.flag_bits & 0x1 for m in membres):
        raise ValidationError(
            "Ce document est protégé par un mot de passe : déposez une version sans mot de passe.",
            code="chiffre",
        )
    noms = {m.filename for m in membres}
    if any(
        n.lower().endswith("vbaproject.bin") or n.startswith(("Basic/", "Scripts/")) for n in noms
    ):
        raise ValidationError(
            f"Les documents qui contiennent des macros ne sont pas acceptés : enregistrez-le "
            f"au format {format_.libelle} sans macros, puis déposez-le.",
            code="macros",
        )
    if format_.membre_principal not in noms:
        raise pas_du_type
    try:
        if format_.famille == "odf":
            premier = membres[0]
            conforme = (
                premier.filename == "mimetype" and premier.compress_type == zipfile.ZIP_STORED
            )
            if conforme:
                with archive.open(premier) as flux:
                    conforme = flux.read(len(format_.marque) + 1) == format_.marque
        else:
            with archive.open("[Content_Types].xml") as types:
                conforme = format_.marque in types.read(TAILLE_LECTURE)
    except KeyError as exc:
        raise pas_du_type from exc
    except Exception as exc:
        raise illisible from exc
    if not conforme:
        raise pas_du_type
    _decompresser_tout(archive, membres, illisible)


def _decompresser_tout(archive, membres, illisible):
    # Declared sizes may lie: zipfile stops at the declared size and checks each CRC, so
    # reading everything bounds the work by the sum checked above and catches the lie.
    try:
        for membre in membres:
            with archive.open(membre) as flux:
                while flux.read(TAILLE_LECTURE):
                    pass
    except Exception as exc:
        raise illisible from exc


# How deep the arrays of coordinates nest in each GeoJSON geometry (RFC 7946, 3.1).
NIVEAUX_GEOJSON = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}
# GeometryCollections inside GeometryCollections: the RFC advises against any nesting.
IMBRICATION_GEOJSON_MAX = 4


def _verifier_geojson(contenu, nom):
    """The summary of a GeoJSON perimeter (polygons and extent): UTF-8 JSON holding a
    FeatureCollection, a Feature or a geometry, positions in longitude and latitude (WGS 84),
    polygons with closed rings, and at least one polygon."""
    if ENTETE_WEB.search(contenu[:1024]):
        raise _polyglotte()
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"« {nom} » n'est pas un texte en UTF-8 : exportez le périmètre en GeoJSON "
            "(UTF-8), puis déposez-le.",
            code="encodage",
        ) from exc
    try:
        donnees = json.loads(texte, parse_constant=_constante_refusee)
    except (ValueError, RecursionError) as exc:
        # ValueError: malformed JSON, NaN or Infinity, an integer of thousands of digits.
        raise ValidationError(
            f"Le contenu de « {nom} » n'est pas du JSON valide : il ne peut pas être lu "
            "comme un fichier GeoJSON.",
            code="json",
        ) from exc
    polygones, bornes = _parcourir_geojson(donnees, nom)
    if not polygones:
        raise ValidationError(
            f"« {nom} » ne contient aucun polygone : le périmètre doit être une surface "
            "(géométrie Polygon ou MultiPolygon).",
            code="sans_polygone",
        )
    ouest, sud, est, nord = bornes
    return (
        f"{polygones} polygone{'s' if polygones > 1 else ''}, emprise de "
        f"{_degres(ouest, 'E', 'O')} à {_degres(est, 'E', 'O')} en longitude et de "
        f"{_degres(sud, 'N', 'S')} à {_degres(nord, 'N', 'S')} en latitude"
    )


def _constante_refusee(constante):
    raise ValueError(f"{constante} n'est pas un nombre JSON")


def _degres(valeur, positif, negatif):
    return f"{abs(valeur):.3f}".replace(".", ",") + f"°\u00a0{positif if valeur >= 0 else negatif}"


def _parcourir_geojson(donnees, nom):
    """The number of polygons and the extent (west, south, east, north) of every position."""
    pas_du_type = ValidationError(
        f"Le contenu de « {nom} » n'est pas un fichier GeoJSON : il doit décrire une "
        "FeatureCollection, une Feature ou une géométrie.",
        code="type",
    )
    if not isinstance(donnees, dict):
        raise pas_du_type
    genre = donnees.get("type")
    if genre == "FeatureCollection":
        entites = donnees.get("features")
        if not isinstance(entites, list):
            raise pas_du_type
    elif genre == "Feature":
        entites = [donnees]
    elif genre in NIVEAUX_GEOJSON or genre == "GeometryCollection":
        entites = [{"type": "Feature", "geometry": donnees}]
    else:
        raise pas_du_type
    a_voir = []
    for entite in entites:
        if not isinstance(entite, dict) or entite.get("type") != "Feature":
            raise pas_du_type
        # A Feature may be "unlocated" (geometry null).
        if entite.get("geometry") is not None:
            a_voir.append((entite["geometry"], 0))
    polygones, bornes = 0, [math.inf, math.inf, -math.inf, -math.inf]
    while a_voir:
        geometrie, imbrication = a_voir.pop()
        genre = geometrie.get("type") if isinstance(geometrie, dict) else None
        if genre == "GeometryCollection":
            membres = geometrie.get("geometries")
            if not isinstance(membres, list) or imbrication >= IMBRICATION_GEOJSON_MAX:
                raise _geometrie_mal_formee(nom, genre)
            a_voir.extend((membre, imbrication + 1) for membre in membres)
            continue
        if genre not in NIVEAUX_GEOJSON:
            raise pas_du_type
        coordonnees = geometrie.get("coordinates")
        _verifier_coordonnees(coordonnees, NIVEAUX_GEOJSON[genre], genre, nom, bornes)
        if genre == "Polygon":
            polygones += 1
        elif genre == "MultiPolygon":
            polygones += len(coordonnees)
    return polygones, bornes


def _verifier_coordonnees(coordonnees, niveau, genre, nom, bornes):
    """Check the nested arrays of one geometry, widening `bornes` with each position."""
    a_voir = [(coordonnees, niveau)]
    while a_voir:
        valeur, niveau = a_voir.pop()
        if niveau == 0:
            _verifier_position(valeur, genre, nom, bornes)
            continue
        surface = genre in ("Polygon", "MultiPolygon")
        if not isinstance(valeur, list) or (surface and not valeur):
            raise _geometrie_mal_formee(nom, genre)
        if surface and niveau == 1 and (len(valeur) < 4 or valeur[0] != valeur[-1]):
            raise ValidationError(
                f"« {nom} » contient un polygone dont un contour n'est pas fermé : il faut au "
                "moins quatre points, le dernier répétant le premier.",
                code="contour",
            )
        a_voir.extend((membre, niveau - 1) for membre in valeur)


def _verifier_position(position, genre, nom, bornes):
    if (
        not isinstance(position, list)
        or not 2 <= len(position) <= 3
        or not all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
            for c in position
        )
    ):
        raise _geometrie_mal_formee(nom, genre)
    longitude, latitude = position[0], position[1]
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise ValidationError(
            f"Les coordonnées de « {nom} » ne sont pas des longitudes et latitudes en degrés "
            "(WGS 84) : exportez le périmètre en EPSG:4326 depuis votre logiciel de "
            "cartographie, puis déposez-le.",
            code="projection",
        )
    bornes[0], bornes[1] = min(bornes[0], longitude), min(bornes[1], latitude)
    bornes[2], bornes[3] = max(bornes[2], longitude), max(bornes[3], latitude)


def _geometrie_mal_formee(nom, genre):
    return ValidationError(
        f"« {nom} » contient une géométrie {genre or 'sans type'} mal formée : ses coordonnées "
        "ne suivent pas la norme GeoJSON.",
        code="geometrie",
    )


def _image_illisible():
    return ValidationError("Cette image est illisible ou endommagée.", code="illisible")


def _verifier_pixels(largeur, hauteur):
    if largeur * hauteur > PIXELS_MAX:
        raise ValidationError(
            f"Cette image est trop grande ({_en_millions(largeur * hauteur)} millions de pixels) "
            f": réduisez-la à {_en_millions(PIXELS_MAX)} millions de pixels au plus, puis "
            "déposez-la.",
            code="trop_de_pixels",
        )


def _en_millions(pixels):
    return _decimal(pixels / 1_000_000)


def _verifier_fin(contenu, fin):
    if len(contenu) - fin > TOLERANCE_FIN or FIN_ZIP in contenu[-FENETRE_FIN_ZIP:]:
        raise _polyglotte()


def _verifier_png(contenu):
    largeur, hauteur, fin = _parcourir_png(contenu)
    _verifier_pixels(largeur, hauteur)
    _verifier_fin(contenu, fin)
    _verifier_pillow(contenu, "PNG")


def _parcourir_png(contenu):
    """Width, height and end of a PNG, walking its chunks up to IEND."""
    position, morceaux = 8, 0
    while True:
        morceaux += 1
        # Pillow reads each chunk in Python: millions of empty chunks would hold it for seconds.
        if morceaux > MORCEAUX_PNG_MAX or position + 12 > len(contenu):
            raise _image_illisible()
        longueur, genre = struct.unpack_from(">I4s", contenu, position)
        if morceaux == 1:
            if genre != b"IHDR" or longueur != 13:
                raise _image_illisible()
            largeur, hauteur = struct.unpack_from(">II", contenu, position + 8)
        position += 12 + longueur
        if genre == b"IEND":
            return largeur, hauteur, position


def _verifier_jpeg(contenu):
    largeur, hauteur, fin = _parcourir_jpeg(contenu)
    _verifier_pixels(largeur, hauteur)
    _verifier_fin(contenu, fin)
    _verifier_pillow(contenu, "JPEG")


def _parcourir_jpeg(contenu):
    """Width, height and end of a JPEG, walking its segments up to the end marker."""
    position, dimensions, segments = 2, None, 0
    while True:
        segments += 1
        if segments > SEGMENTS_JPEG_MAX or position + 2 > len(contenu):
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


def _verifier_pillow(contenu, format_pillow):
    try:
        with Image.open(io.BytesIO(contenu), formats=[format_pillow]) as image:
            largeur, hauteur = image.size
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            f"Cette image est trop grande : réduisez-la à {_en_millions(PIXELS_MAX)} millions "
            "de pixels au plus, puis déposez-la.",
            code="trop_de_pixels",
        ) from exc
    except Exception as exc:
        # Pillow raises many kinds of errors on a hostile image; none may become a 500.
        raise _image_illisible() from exc
    _verifier_pixels(largeur, hauteur)


def _principal():
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
