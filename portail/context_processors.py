"""What every page's navigation shows across the stages: the user's rights to each entry and
DGALN's review queue counter."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from candidatures.models import Candidature
from comptes.models import AnyUser
from comptes.selectors import a_le_droit


class Droits:
    """The rules permissions of one user, read by the templates like `perms`
    (`droits.candidatures.ouvrir_precandidature`), each checked when first asked."""

    def __init__(self, user: AnyUser, application: str = "") -> None:
        self.user = user
        self.application = application

    def __getitem__(self, nom: str) -> "Droits | bool":
        if not self.application:
            return Droits(self.user, nom)
        return a_le_droit(self.user, f"{self.application}.{nom}")


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's rights for the navigation and the pages' links; for whoever sees the review
    queue, how many dossiers wait in it (the same as DGALN's « Instruire la candidature »);
    no query for anyone else."""
    user = getattr(request, "user", None) or AnonymousUser()
    contexte: dict[str, Any] = {"droits": Droits(user)}
    if a_le_droit(user, "candidatures.voir_file_instruction"):
        contexte["nombre_a_instruire"] = Candidature.objects.a_instruire().count()
    return contexte
