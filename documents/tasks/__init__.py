"""Celery tasks of the documents app; autodiscovery imports this package."""

from documents.tasks.fichiers import *  # noqa: F403
from documents.tasks.rendus import *  # noqa: F403
