from candidatures.models import Candidature
from comptes.selectors import profil


def instruction(request):
    """For DGALN, how many deposited candidatures wait for review (the navigation's counter);
    nothing, and no query, for anyone else."""
    if not profil(getattr(request, "user", None)).est_dgaln:
        return {}
    return {"nombre_a_instruire": Candidature.objects.a_instruire().count()}
