"""Office document checks: OOXML (DOCX, XLSX) and ODF (ODT, ODS) are ZIP archives, read with
every size bounded before anything is decompressed."""

import io
import struct
import zipfile

from django.core.exceptions import ValidationError

from documents.verification import bornes
from documents.verification.formats import FENETRE_FIN_ZIP, FIN_ZIP, REPERTOIRE_ZIP, Format
from documents.verification.textes import bombe, entier, polyglotte


def verifier_archive(contenu: bytes, format_: Format, nom: str) -> None:
    """An OOXML or ODF document: a real ZIP with the members of its kind, no macros, no
    trailing payload, and members that decompress within the bounds."""
    pas_du_type = ValidationError(
        f"Le contenu de « {nom} » n'est pas {format_.designation}.", code="type"
    )
    illisible = ValidationError("Ce document est illisible ou endommagé.", code="illisible")
    # Each central directory entry starts with this signature: counting them bounds the
    # work zipfile does below, whatever the end record declares.
    if contenu.count(REPERTOIRE_ZIP) > bornes.MEMBRES_ZIP_MAX:
        raise ValidationError(
            f"Ce document contient plus de {entier(bornes.MEMBRES_ZIP_MAX)} éléments : il ne peut "
            "pas être accepté.",
            code="trop_de_membres",
        )
    fin = contenu.rfind(FIN_ZIP, max(0, len(contenu) - FENETRE_FIN_ZIP))
    if fin < 0 or len(contenu) - fin < 22:
        raise illisible
    longueur_commentaire = struct.unpack_from("<H", contenu, fin + 20)[0]
    if len(contenu) - (fin + 22 + longueur_commentaire) > bornes.TOLERANCE_FIN:
        raise polyglotte()
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
    except Exception as exc:
        # zipfile raises many kinds of errors on a hostile archive; none may become a 500.
        raise illisible from exc
    with archive:
        _verifier_membres(archive, format_, pas_du_type, illisible)


def _verifier_membres(
    archive: zipfile.ZipFile,
    format_: Format,
    pas_du_type: ValidationError,
    illisible: ValidationError,
) -> None:
    membres = archive.infolist()
    if sum(m.file_size for m in membres) > bornes.DECOMPRESSION_MAX or any(
        m.file_size > bornes.TAILLE_MEMBRE_SURVEILLEE
        and m.file_size > bornes.RATIO_ZIP_MAX * m.compress_size
        for m in membres
    ):
        raise bombe()
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
                conforme = format_.marque in types.read(bornes.TAILLE_LECTURE)
    except KeyError as exc:
        raise pas_du_type from exc
    except Exception as exc:
        raise illisible from exc
    if not conforme:
        raise pas_du_type
    _decompresser_tout(archive, membres, illisible)


def _decompresser_tout(
    archive: zipfile.ZipFile, membres: list[zipfile.ZipInfo], illisible: ValidationError
) -> None:
    # Declared sizes may lie: zipfile stops at the declared size and checks each CRC, so
    # reading everything bounds the work by the sum checked above and catches the lie.
    try:
        for membre in membres:
            with archive.open(membre) as flux:
                while flux.read(bornes.TAILLE_LECTURE):
                    pass
    except Exception as exc:
        raise illisible from exc
