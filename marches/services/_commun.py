"""What several writes on a marché share: e-mail links and the locked row."""

from django.conf import settings
from django.urls import reverse

from marches.models import MarcheSubsequent


def lien_vers(nom: str, *args: object) -> str:
    """An absolute link for an e-mail."""
    return settings.PORTAIL_URL + reverse(nom, args=args)


def lien_marche(marche: MarcheSubsequent) -> str:
    return lien_vers("marches:marche", marche.pk)


def marche_verrouille(marche: MarcheSubsequent) -> MarcheSubsequent:
    return (
        MarcheSubsequent.objects.select_related("atelier", "accord_cadre")
        .select_for_update(of=("self",))
        .get(pk=marche.pk)
    )
