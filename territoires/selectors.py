"""Reads on the territorial referential used in more than one place."""

from collections.abc import Iterable

from django.db.models import QuerySet

from territoires.models import EPCI, Departement


def epci_des_departements(departements: Iterable[Departement | str]) -> QuerySet[EPCI]:
    """The EPCI that have communes in any of these départements (codes or instances)."""
    if not departements:
        return EPCI.objects.none()
    return EPCI.objects.filter(departements__in=departements).distinct().order_by("nom")
