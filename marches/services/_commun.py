"""What several writes on a marché share: e-mail links and the locked row."""

from comptes.liens import lien_absolu as lien_vers
from marches.models import MarcheSubsequent


def lien_marche(marche: MarcheSubsequent) -> str:
    return lien_vers("marches:marche", marche.pk)


def marche_verrouille(marche: MarcheSubsequent) -> MarcheSubsequent:
    return (
        MarcheSubsequent.objects.select_related("atelier", "accord_cadre")
        .select_for_update(of=("self",))
        .get(pk=marche.pk)
    )
