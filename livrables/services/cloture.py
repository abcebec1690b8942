"""The clôture of an atelier, the step that the livrables stage owns (ADR 0019): the pilot
closes it once the five livrables are validated and the restitution held; the atelier is
read-only after it and its validated livret and feuille de route are publishable."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ateliers.models import Atelier, Phase
from ateliers.selectors import courriels_porteurs
from ateliers.services import ActionImpossible, etat_verifier, transition_appliquer
from comptes.liens import lien_absolu
from comptes.models import Utilisateur
from comptes.selectors import courriels_dgaln
from comptes.services import courriel_ecrire_depuis_gabarit
from livrables.models import CLOTURER, Cloture, Livrable, TypeLivrable
from livrables.selectors.cloture import manques_de_la_cloture

# What the public catalogue will show of a closed atelier (a later issue).
PUBLIABLES = (TypeLivrable.LIVRET, TypeLivrable.FEUILLE_ROUTE)


def atelier_cloturer(
    *, atelier: Atelier, par: Utilisateur, vu: str, commentaire: str = ""
) -> Cloture:
    """Close the atelier whose phase is still `vu` (the restitution): refused with the list of
    what is missing; otherwise the clôture is pronounced, the atelier closed in the same step,
    its livret and feuille de route validated made publishable, the porteurs and DGALN
    e-mailed. `commentaire` goes to the journal's line."""
    cloture = Cloture(atelier=atelier)
    if not par.has_perm(CLOTURER, cloture):
        raise PermissionDenied("Seul le service pilote de l'atelier le clôture.")
    with transaction.atomic():
        verrouille = Atelier.objects.select_for_update().get(pk=atelier.pk)
        etat_verifier(objet=verrouille, champ="phase", vu=vu)
        if verrouille.phase != Phase.RESTITUTION:
            raise ActionImpossible(
                f"L'atelier est à l'étape « {verrouille.get_phase_display()} » : il se clôture "
                "après sa restitution."
            )
        manques = manques_de_la_cloture(verrouille)
        if manques:
            raise ActionImpossible(
                f"L'atelier ne peut pas encore être clôturé. Il manque : {' ; '.join(manques)}."
            )
        cloture, _ = Cloture.objects.get_or_create(atelier=verrouille)
        cloture = transition_appliquer(
            objet=cloture,
            transition="prononcer",
            par=par,
            vu=Cloture.Statut.A_PRONONCER,
            phase="cloturer",
            phase_vu=Phase.RESTITUTION,
            commentaire=commentaire.strip(),
            auteur=par,
        )
        Livrable.objects.filter(atelier=verrouille, type__in=PUBLIABLES).valides().update(
            publiable=True
        )
        contexte = {
            "atelier": cloture.atelier,
            "cloture": cloture,
            "lien": lien_absolu("livrables:livrables", atelier.pk),
        }
        courriel_ecrire_depuis_gabarit(
            gabarit="atelier_cloture_porteurs",
            contexte=contexte,
            destinataires=courriels_porteurs(cloture.atelier),
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="atelier_cloture_dgaln",
            contexte=contexte,
            destinataires=courriels_dgaln(),
        )
    return cloture
