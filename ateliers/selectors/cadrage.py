"""Reads on the cadrage and its calendar."""

from ateliers.models import Atelier, EtapePrevue


def etapes_prevues(atelier: Atelier) -> dict[str, EtapePrevue]:
    """The planned dates of the atelier's calendar, by step."""
    return {j.nature: j for j in EtapePrevue.objects.filter(atelier=atelier)}
