"""What the clôture of an atelier waits for: its five livrables validated and its restitution
held (ADR 0019)."""

from ateliers.models import Atelier
from ateliers.selectors.restitution import restitution_de, restitution_tenue
from livrables.models import Livrable, TypeLivrable


def livrables_non_valides(atelier: Atelier) -> list[str]:
    """The names of the atelier's livrables not validated yet, in the programme's order."""
    valides = set(Livrable.objects.filter(atelier=atelier).valides().values_list("type", flat=True))
    return [t.label for t in TypeLivrable if t not in valides]


def manques_de_la_cloture(atelier: Atelier) -> list[str]:
    """What the clôture still waits for, each as the end of « Il manque : … »; empty when the
    pilot may close the atelier."""
    manques = []
    non_valides = livrables_non_valides(atelier)
    if non_valides:
        noms = ", ".join(n[0].lower() + n[1:] for n in non_valides)
        manques.append(f"les livrables non validés : {noms}")
    if not restitution_tenue(restitution_de(atelier)):
        manques.append("la restitution n'est pas tenue")
    return manques
