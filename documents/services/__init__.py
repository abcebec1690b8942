"""Every write on files and documents: uploads (fichiers) and PDF renders (rendus)."""

from documents.services.fichiers import *  # noqa: F403
from documents.services.rendus import *  # noqa: F403
