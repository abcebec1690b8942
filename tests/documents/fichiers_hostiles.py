"""Builds sample files in memory, the sound and the hostile, so that no binary fixture is kept.

Each builder returns bytes; `televerse` wraps them as Django's upload with any name and any
content type the browser might claim.
"""

import functools
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

MO = 1024 * 1024
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def televerse(nom, contenu, type_contenu="application/octet-stream"):
    return SimpleUploadedFile(nom, contenu, content_type=type_contenu)


def assembler_pdf(objets, *, apres=b"", doublons=0):
    """A PDF whose objects 1..n are `objets` (object 1 is the catalog), with a correct xref;
    `doublons` more xref entries all point at the last object."""
    sortie = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    positions = []
    for numero, corps in enumerate(objets, 1):
        positions.append(len(sortie))
        sortie += b"%d 0 obj\n%s\nendobj\n" % (numero, corps)
    positions += positions[-1:] * doublons
    debut_xref = len(sortie)
    sortie += b"xref\n0 %d\n0000000000 65535 f \n" % (len(positions) + 1)
    for position in positions:
        sortie += b"%010d 00000 n \n" % position
    sortie += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(positions) + 1,
        debut_xref,
    )
    return bytes(sortie) + apres


def flux(donnees, *, filtre=b"/FlateDecode"):
    dictionnaire = b"/Length %d" % len(donnees) + (b" /Filter " + filtre if filtre else b"")
    return b"<< %s >>\nstream\n%s\nendstream" % (dictionnaire, donnees)


def pdf_une_page(contenu_compresse=None, *, apres=b""):
    """One A4 page whose content stream is `contenu_compresse` (Flate) or a line of text."""
    if contenu_compresse is None:
        contenu_compresse = zlib.compress(b"BT /F1 12 Tf 72 770 Td (Courrier sign\\351) Tj ET")
    return assembler_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            flux(contenu_compresse),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        apres=apres,
    )


def pdf_pypdf(pages=2):
    """A PDF written by pypdf, as another program would have written it."""
    auteur = PdfWriter()
    for _ in range(pages):
        auteur.add_blank_page(595, 842)
    sortie = io.BytesIO()
    auteur.write(sortie)
    return sortie.getvalue()


def pdf_chiffre():
    auteur = PdfWriter()
    auteur.add_blank_page(595, 842)
    auteur.encrypt("secret")
    sortie = io.BytesIO()
    auteur.write(sortie)
    return sortie.getvalue()


def pdf_sans_page():
    return assembler_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )


def pdf_casse():
    """A PDF header, then the first third of a real PDF and noise: no xref, no trailer."""
    return pdf_une_page()[:120] + bytes(range(256)) * 4


@functools.cache
def zeros_compresses(taille):
    """`taille` zero bytes through zlib, compressed a megabyte at a time."""
    compresseur = zlib.compressobj(9)
    bloc = bytes(MO)
    morceaux = [compresseur.compress(bloc) for _ in range(taille // MO)]
    morceaux.append(compresseur.compress(bytes(taille % MO)))
    morceaux.append(compresseur.flush())
    return b"".join(morceaux)


def pdf_bombe(taille_decompressee=300 * MO):
    """A content stream of a few hundred kilobytes that inflates to `taille_decompressee`."""
    return pdf_une_page(zeros_compresses(taille_decompressee))


def pdf_avec_zip_dans_un_flux():
    """A ZIP end record inside a stream's data: where a compressed stream may hold any bytes."""
    return assembler_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            flux(b"% PK\x05\x06 hasard d'un flux binaire\n", filtre=None),
        ]
    )


def pdf_avec_eicar():
    """A sound PDF carrying the antivirus test string in clear, for a fake clamd to find."""
    return assembler_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            flux(b"% " + EICAR + b"\n", filtre=None),
        ]
    )


def pdf_objets_recycles(references=200, nombres=90_000):
    """A small PDF whose xref points hundreds of objects at one big array: pypdf, repairing
    each, parses the array again and again (about a minute, for half a megabyte)."""
    return assembler_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"[" + b" ".join(b"%d" % n for n in range(nombres)) + b"]",
        ],
        doublons=references,
    )


def zip_vide():
    """The smallest ZIP there is: its end record alone."""
    return b"PK\x05\x06" + bytes(18)


def zip_avec_un_fichier(nom="lisez-moi.txt", contenu=b"Bonjour"):
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(nom, contenu)
    return sortie.getvalue()


def pdf_avec_zip():
    """A valid PDF with a ZIP after its %%EOF: both a PDF reader and a ZIP reader open it."""
    return pdf_une_page(apres=zip_avec_un_fichier("charge.html", b"<script>alert(1)</script>"))


def pdf_avec_html():
    return (
        b"%PDF-1.7\n<html><body><script>document.location='https://exemple.test'</script>\n"
        + pdf_une_page()[9:]
    )


def page_html():
    return (
        b"<!DOCTYPE html>\n<html><head><title>Courrier</title></head>"
        b"<body>Sign\xc3\xa9</body></html>"
    )


TYPES_OOXML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/%s" ContentType="%s"/></Types>'
)
RELATIONS_OOXML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="%s"/></Relationships>'
)


def _archive(membres, *, premier_stocke=False):
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        for rang, (nom, contenu) in enumerate(membres):
            methode = zipfile.ZIP_STORED if premier_stocke and rang == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(nom, contenu, compress_type=methode)
    return sortie.getvalue()


def docx(*, membres_en_plus=()):
    principal = "word/document.xml"
    return _archive(
        [
            (
                "[Content_Types].xml",
                TYPES_OOXML
                % (
                    principal.encode(),
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml."
                    b"document.main+xml",
                ),
            ),
            ("_rels/.rels", RELATIONS_OOXML % principal.encode()),
            (
                principal,
                b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                b'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
                b"Compte rendu</w:t></w:r></w:p></w:body></w:document>",
            ),
            *membres_en_plus,
        ]
    )


def xlsx():
    principal = "xl/workbook.xml"
    return _archive(
        [
            (
                "[Content_Types].xml",
                TYPES_OOXML
                % (
                    principal.encode(),
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                ),
            ),
            ("_rels/.rels", RELATIONS_OOXML % principal.encode()),
            (
                principal,
                b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
            ),
        ]
    )


def _odf(type_mime, racine):
    return _archive(
        [
            ("mimetype", type_mime),
            (
                "content.xml",
                b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
                b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0"><office:body><office:%s/>'
                b"</office:body></office:document-content>" % racine,
            ),
            (
                "META-INF/manifest.xml",
                b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            ),
        ],
        premier_stocke=True,
    )


def odt():
    return _odf(b"application/vnd.oasis.opendocument.text", b"text")


def ods():
    return _odf(b"application/vnd.oasis.opendocument.spreadsheet", b"spreadsheet")


def docx_bombe(taille=4 * MO):
    """A DOCX carrying a member of zeros: thousands to one once compressed."""
    return docx(membres_en_plus=[("word/media/image1.bin", bytes(taille))])


def docx_trop_de_membres(nombre):
    return docx(membres_en_plus=[(f"word/media/{n}.xml", b"") for n in range(nombre)])


def _image(format_pillow, largeur=40, hauteur=30):
    sortie = io.BytesIO()
    Image.new("RGB", (largeur, hauteur), (0, 85, 164)).save(sortie, format_pillow)
    return sortie.getvalue()


def png():
    return _image("PNG")


def jpeg():
    return _image("JPEG")


def morceau_png(genre, donnees):
    return (
        struct.pack(">I", len(donnees))
        + genre
        + donnees
        + struct.pack(">I", zlib.crc32(genre + donnees))
    )


@functools.cache
def png_geant(cote=20_000):
    """A real black-and-white PNG of `cote` x `cote` pixels, tens of kilobytes on disk."""
    compresseur = zlib.compressobj(9)
    ligne = bytes(1 + cote // 8)
    lignes_par_bloc = max(1, MO // len(ligne))
    morceaux = []
    for debut in range(0, cote, lignes_par_bloc):
        morceaux.append(compresseur.compress(ligne * min(lignes_par_bloc, cote - debut)))
    morceaux.append(compresseur.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + morceau_png(b"IHDR", struct.pack(">IIBBBBB", cote, cote, 1, 0, 0, 0, 0))
        + morceau_png(b"IDAT", b"".join(morceaux))
        + morceau_png(b"IEND", b"")
    )
