"""Object permissions on ateliers, checked by every view and every transition."""

import rules

from comptes.models import Role
from comptes.selectors import profil


@rules.predicate
def est_dgaln(user):
    return profil(user).est_dgaln


@rules.predicate
def voit_atelier(user, atelier):
    from ateliers.selectors import ateliers_visibles

    return atelier is not None and ateliers_visibles(user).filter(pk=atelier.pk).exists()


@rules.predicate
def pilote_atelier(user, atelier):
    return atelier is not None and atelier.service_pilote_id in profil(user).ids(Role.SERVICE_ETAT)


@rules.predicate
def collectivite_porteuse(user, atelier):
    if atelier is None:
        return False
    ids = profil(user).ids(Role.COLLECTIVITE)
    return bool(ids) and any(c.pk in ids for c in atelier.collectivites.all())


@rules.predicate
def operateur_atelier(user, atelier):
    return atelier is not None and atelier.operateur_id in profil(user).ids(Role.OPERATEUR)


@rules.predicate
def groupement_titulaire(user, atelier):
    return atelier is not None and atelier.groupement_id in profil(user).ids(Role.GROUPEMENT)


porteur_atelier = pilote_atelier | collectivite_porteuse | operateur_atelier

rules.add_perm("ateliers.view_atelier", voit_atelier)
rules.add_perm("ateliers.piloter_atelier", pilote_atelier)
rules.add_perm("ateliers.porter_atelier", porteur_atelier)
rules.add_perm("ateliers.instruire_atelier", est_dgaln)
rules.add_perm("ateliers.abandonner_atelier", est_dgaln | pilote_atelier)
