"""Reads on the restitution."""

from ateliers.models import Atelier, Restitution


def restitution_de(atelier: Atelier) -> Restitution:
    """The atelier's restitution, or an unsaved empty one before anything was recorded (a page
    that reads writes nothing)."""
    restitution = Restitution.objects.filter(atelier=atelier).select_related("presentation")
    return restitution.first() or Restitution(atelier=atelier)
