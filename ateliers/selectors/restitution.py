"""Reads on the restitution."""

from django.db.models import QuerySet
from django.utils import timezone

from ateliers.models import Atelier, Restitution


def restitution_de(atelier: Atelier) -> Restitution:
    """The atelier's restitution, or an unsaved empty one before anything was recorded (a page
    that reads writes nothing)."""
    restitution = Restitution.objects.filter(atelier=atelier).select_related("presentation")
    return restitution.first() or Restitution(atelier=atelier)


def restitution_tenue(restitution: Restitution) -> bool:
    """The restitution was held: its date is past and its compte-rendu written (what the
    clôture of the atelier waits for)."""
    return (
        restitution.pk is not None
        and restitution.date is not None
        and restitution.date <= timezone.now()
        and bool(restitution.compte_rendu.strip())
    )


def restitutions_tenues() -> QuerySet[Restitution]:
    """The restitutions held, as `restitution_tenue` says."""
    return Restitution.objects.filter(date__lte=timezone.now()).exclude(compte_rendu="")
