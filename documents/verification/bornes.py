"""Bounds of the checks: every check reads them here when it runs (`bornes.PIXELS_MAX`), so
that tests can lower them."""

MO = 1024 * 1024

DECOMPRESSION_MAX = 200 * MO
# pypdf's own default per stream: a larger stream would fail later in any pypdf reader anyway.
DECOMPRESSION_FLUX_MAX = 75_000_000
OBJETS_PDF_MAX = 50_000
DUREE_PDF_MAX = 10
MEMOIRE_PDF_MAX = 512 * MO
MEMBRES_ZIP_MAX = 10_000
RATIO_ZIP_MAX = 100
TAILLE_MEMBRE_SURVEILLEE = MO
PIXELS_MAX = 50_000_000
SEGMENTS_JPEG_MAX = 10_000
MORCEAUX_PNG_MAX = 50_000
# Some writers pad a file with a few bytes after its end marker; a hidden payload needs more.
TOLERANCE_FIN = 16
TAILLE_LECTURE = MO
