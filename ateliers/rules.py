"""Object permissions on ateliers, checked by every view and every transition."""

import rules

from comptes.models import Role
from comptes.selectors import profil


@rules.predicate
def est_dgaln(user):
    return profil(user).est_dgaln


@rules.predicate
def est_service_etat(user):
    return profil(user).est_service_etat


@rules.predicate
def est_collectivite(user):
    return profil(user).est_collectivite


@rules.predicate
def est_operateur(user):
    return profil(user).est_operateur


@rules.predicate
def est_groupement(user):
    return profil(user).est_groupement


@rules.predicate
def voit_atelier(user, atelier):
    from ateliers.selectors import atelier_visible

    return atelier is not None and atelier_visible(user, atelier)


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
# Who follows the accompagnement once the marché is notified: its porteurs, its groupement and
# DGALN; a DREAL or a DDT that does not pilot it reads its list line, not its sessions.
suit_accompagnement = porteur_atelier | groupement_titulaire | est_dgaln
conduit_accompagnement = pilote_atelier | groupement_titulaire


def de_son_atelier(predicat):
    """The predicate on an atelier, asked of an object of its accompagnement (its cadrage…)."""

    @rules.predicate(name=f"{predicat.name}_de_son_atelier")
    def sur_l_objet(user, objet):
        return objet is not None and predicat.test(user, objet.atelier)

    return sur_l_objet


rules.add_perm("ateliers.view_atelier", voit_atelier)
rules.add_perm("ateliers.piloter_atelier", pilote_atelier)
rules.add_perm("ateliers.porter_atelier", porteur_atelier)
rules.add_perm("ateliers.instruire_atelier", est_dgaln)
rules.add_perm("ateliers.abandonner_atelier", est_dgaln | pilote_atelier)
rules.add_perm("ateliers.voir_calendrier", suit_accompagnement)
rules.add_perm("ateliers.view_cadrage", de_son_atelier(suit_accompagnement))
rules.add_perm("ateliers.change_cadrage", de_son_atelier(conduit_accompagnement))
rules.add_perm("ateliers.fixer_calendrier", de_son_atelier(conduit_accompagnement))
rules.add_perm("ateliers.clore_cadrage", de_son_atelier(pilote_atelier))


@rules.predicate
def auteur_de_l_entree(user, entree):
    return entree is not None and entree.auteur_id == user.pk


# The inter-ateliers: the groupement writes them (asked on the atelier), their author alone
# corrects or withdraws them while still in the groupement; everyone who follows reads them.
rules.add_perm("ateliers.view_interatelier", de_son_atelier(suit_accompagnement))
rules.add_perm("ateliers.add_interatelier", groupement_titulaire)
rules.add_perm(
    "ateliers.change_interatelier", auteur_de_l_entree & de_son_atelier(groupement_titulaire)
)
rules.add_perm(
    "ateliers.retirer_interatelier", auteur_de_l_entree & de_son_atelier(groupement_titulaire)
)
rules.add_perm("ateliers.view_restitution", de_son_atelier(suit_accompagnement))
rules.add_perm("ateliers.change_restitution", de_son_atelier(conduit_accompagnement))

# The ways a user reaches ateliers (ateliers_visibles), each a list of the navigation: the
# ateliers they carry, those of their territory, their missions, all of them.
rules.add_perm("ateliers.voir_ses_ateliers", est_collectivite | est_operateur)
rules.add_perm("ateliers.voir_ateliers_du_territoire", est_service_etat)
rules.add_perm("ateliers.voir_ses_missions", est_groupement)
rules.add_perm("ateliers.voir_tous_les_ateliers", est_dgaln)


# The sessions (ADR 0016): the pilot runs them, the groupement titulaire prepares their
# programme and writes their compte-rendu, the collectivités porteuses manage the logistics
# they pay; those, the opérateur and DGALN read everything; anyone else sees nothing.
pilote_de_la_session = de_son_atelier(pilote_atelier)
groupement_de_la_session = de_son_atelier(groupement_titulaire)
collectivite_de_la_session = de_son_atelier(collectivite_porteuse)

rules.add_perm("ateliers.view_session", de_son_atelier(suit_accompagnement))
rules.add_perm("ateliers.piloter_session", pilote_de_la_session)
rules.add_perm("ateliers.preparer_session", groupement_de_la_session)
rules.add_perm("ateliers.gerer_logistique", collectivite_de_la_session)
# Who is invited: the pilot convenes them, the groupement that runs the session proposes them.
rules.add_perm("ateliers.inviter_participants", pilote_de_la_session | groupement_de_la_session)


@rules.predicate
def lit_la_session_du_compte_rendu(user, compte_rendu):
    """A compte-rendu and its attachments are read by who reads its session."""
    return compte_rendu is not None and user.has_perm("ateliers.view_session", compte_rendu.session)


rules.add_perm("ateliers.view_compterendu", lit_la_session_du_compte_rendu)
