"""Reads on the territorial referential used in more than one place."""

from territoires.models import EPCI


def epci_des_departements(departements):
    """The EPCI that have communes in any of these départements (codes or instances)."""
    if not departements:
        return EPCI.objects.none()
    return EPCI.objects.filter(departements__in=departements).distinct().order_by("nom")
