"""The user's calendar address: made on first use, renewed on demand."""

from django.db import transaction

from ateliers.models import JetonAgenda
from ateliers.models.agenda import nouveau_jeton
from comptes.models import Utilisateur


def jeton_agenda(*, utilisateur: Utilisateur) -> JetonAgenda:
    """This user's calendar address, made the first time they ask for it."""
    jeton, _ = JetonAgenda.objects.get_or_create(utilisateur=utilisateur)
    return jeton


@transaction.atomic
def jeton_agenda_renouveler(*, par: Utilisateur) -> JetonAgenda:
    """A new secret address for this user's feeds: the old one answers 404 from now on (a
    leaked address is dead)."""
    jeton = JetonAgenda.objects.select_for_update().filter(utilisateur=par).first()
    if jeton is None:
        return JetonAgenda.objects.create(utilisateur=par)
    jeton.jeton = nouveau_jeton()
    jeton.save(update_fields=["jeton"])
    return jeton
