"""The kinds of file the portal accepts, and the signatures their content is checked for."""

import re
from dataclasses import dataclass

# A ZIP reader looks for its end record in the last 64 KiB (plus the record itself).
FENETRE_FIN_ZIP = 65_535 + 22
FIN_ZIP = b"PK\x05\x06"
REPERTOIRE_ZIP = b"PK\x01\x02"
ENTETE_WEB = re.compile(rb"<\s*(html|script|body|svg|iframe|!doctype\s+html)", re.IGNORECASE)
ENTETE_PDF = b"%PDF-"


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
    def extension(self) -> str:
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
