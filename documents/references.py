"""Who still needs a stored file: the apps above documents say it here, since documents
imports none of them (as ateliers.sections does for the atelier page)."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

if TYPE_CHECKING:
    from documents.models import FichierDepose

Gardien = Callable[[QuerySet["FichierDepose"]], Iterable[int]]

_gardiens: list[Gardien] = []


def enregistrer_gardien(fonction: Gardien) -> Gardien:
    """`fonction(fichiers)` takes a queryset of FichierDepose and returns the pks of those its
    app must keep (a deposited version names them, for example); called by the clean-up."""
    if fonction not in _gardiens:
        _gardiens.append(fonction)
    return fonction


def fichiers_gardes(fichiers: QuerySet["FichierDepose"]) -> set[int]:
    """The pks, among `fichiers`, that some app still needs."""
    gardes: set[int] = set()
    for fonction in _gardiens:
        gardes |= set(fonction(fichiers))
    return gardes
