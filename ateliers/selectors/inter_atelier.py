"""Reads on the inter-ateliers: the list the pages show, the carnet de suivi's source."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from ateliers.models import Atelier, InterAtelier
from documents.models import FichierDepose


def inter_ateliers_de(atelier: Atelier) -> QuerySet[InterAtelier]:
    """The atelier's entries still published, by date then order of writing, with their author:
    what the porteurs read and what the carnet de suivi will take."""
    return (
        InterAtelier.objects.publiees()
        .filter(atelier=atelier)
        .select_related("auteur")
        .order_by("date", "pk")
    )


def inter_ateliers_filtres(
    atelier: Atelier,
    *,
    nature: str = "",
    du: datetime.date | None = None,
    au: datetime.date | None = None,
    auteur: int | None = None,
) -> QuerySet[InterAtelier]:
    """The atelier's published entries of one nature, period or author, newest first."""
    entrees = inter_ateliers_de(atelier).order_by("-date", "-pk")
    if nature:
        entrees = entrees.filter(nature=nature)
    if du:
        entrees = entrees.filter(date__gte=du)
    if au:
        entrees = entrees.filter(date__lte=au)
    if auteur:
        entrees = entrees.filter(auteur_id=auteur)
    return entrees


def auteurs_des_inter_ateliers(atelier: Atelier) -> list[tuple[int, str]]:
    """Who wrote the atelier's published entries, for the list's filter: one query."""
    lignes = (
        InterAtelier.objects.publiees()
        .filter(atelier=atelier)
        .order_by("auteur__nom", "auteur__prenom")
        .values_list("auteur_id", "auteur__prenom", "auteur__nom")
        .distinct()
    )
    return [(pk, f"{prenom} {nom}".strip()) for pk, prenom, nom in lignes]


def pieces_de(entrees: list[InterAtelier]) -> dict[int, list[FichierDepose]]:
    """The attachments still in use of these entries, by entry, in one query."""
    if not entrees:
        return {}
    fichiers = FichierDepose.objects.filter(
        proprietaire_type=ContentType.objects.get_for_model(InterAtelier),
        proprietaire_id__in=[str(e.pk) for e in entrees],
        retire_le__isnull=True,
    ).order_by("depose_le", "pk")
    resultat: dict[int, list[FichierDepose]] = {}
    for fichier in fichiers:
        resultat.setdefault(int(fichier.proprietaire_id or 0), []).append(fichier)
    return resultat
