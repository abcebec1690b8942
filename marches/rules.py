"""Who may see and who may do what in a marché subséquent.

The rule that makes or breaks trust: a groupement never sees another groupement's offer, nor
the panel's marks, nor the ranking before notification; a collectivité that does not carry the
atelier sees nothing of its marché. Every page, download and export asks these permissions."""

import rules

from ateliers.rules import (
    collectivite_porteuse,
    est_dgaln,
    est_groupement,
    est_service_etat,
    operateur_atelier,
    pilote_atelier,
)
from comptes.models import Role
from comptes.selectors import profil


def _marche(objet):
    """The marché of a marché, of a consultation, of a CCTP version or of an offer."""
    from marches.models import MarcheSubsequent

    if objet is None or isinstance(objet, MarcheSubsequent):
        return objet
    return objet.marche


@rules.predicate
def pilote_du_marche(user, objet):
    marche = _marche(objet)
    return marche is not None and pilote_atelier(user, marche.atelier)


@rules.predicate
def membre_du_jury(user, objet):
    """The selection panel: the pilot, the opérateur and the collectivités porteuses."""
    from marches.selectors.visibilite import membre_du_jury_de

    marche = _marche(objet)
    return marche is not None and membre_du_jury_de(user, marche.atelier)


@rules.predicate
def groupement_consulte(user, objet):
    """A member of a groupement consulted in one of the marché's rounds."""
    marche = _marche(objet)
    ids = profil(user).ids(Role.GROUPEMENT)
    if marche is None or not ids:
        return False
    from marches.models import Consultation

    return Consultation.objects.filter(marche=marche, consultes__in=ids).exists()


@rules.predicate
def groupement_de_l_offre(user, offre):
    return offre is not None and offre.groupement_id in profil(user).ids(Role.GROUPEMENT)


@rules.predicate
def marche_notifie(user, objet):
    marche = _marche(objet)
    return marche is not None and marche.statut == marche.Statut.NOTIFIE


@rules.predicate
def en_preparation(user, objet):
    marche = _marche(objet)
    return marche is not None and marche.statut == marche.Statut.EN_PREPARATION


# The marché's own page: DGALN (who helps with the analysis), the pilot and the panel.
rules.add_perm("marches.view_marchesubsequent", est_dgaln | membre_du_jury)
rules.add_perm("marches.piloter_marche", pilote_du_marche)
# The porteurs write the CCTP with the pilot while the marché is prepared.
rules.add_perm("marches.rediger_cctp", membre_du_jury & en_preparation)
# What a consulted groupement sees: the consultation (CCTP versions, Q&A, accord-cadre
# documents, deadline), never the other offers.
rules.add_perm("marches.voir_consultation", groupement_consulte)
rules.add_perm("marches.view_consultation", est_dgaln | membre_du_jury | groupement_consulte)
rules.add_perm("marches.view_versioncctp", est_dgaln | membre_du_jury | groupement_consulte)
# An offer and its pieces: the panel and DGALN; its own groupement, never another.
rules.add_perm("marches.view_offre", est_dgaln | membre_du_jury | groupement_de_l_offre)
# Marks and rank of its own offer reach a groupement only once the marché is notified.
rules.add_perm("marches.voir_ses_notes", groupement_de_l_offre & marche_notifie)

# The lists and pages of the navigation, by role.
# The list is the pilots' and DGALN's; the porteurs reach their marché from the atelier.
rules.add_perm("marches.voir_marches", est_dgaln | est_service_etat)
rules.add_perm("marches.voir_mes_consultations", est_groupement)
# DGALN and the admins keep the accords-cadres, their titulaires and documents.
rules.add_perm("marches.gerer_accordcadre", est_dgaln | rules.is_staff)
rules.add_perm("marches.view_accordcadre", est_dgaln | rules.is_staff | est_service_etat)


@rules.predicate
def titulaire_de_l_accord_cadre(user, document):
    ids = profil(user).ids(Role.GROUPEMENT)
    return (
        document is not None
        and bool(ids)
        and document.accord_cadre.titularites.filter(groupement__in=ids).exists()
    )


# DGALN sends them to the State services; the titulaires hold them already.
rules.add_perm(
    "marches.view_documentaccordcadre",
    est_dgaln | rules.is_staff | est_service_etat | titulaire_de_l_accord_cadre,
)


# finances (BOP 135) and DECP export: the `finances` helper's block.
@rules.predicate
def collectivite_ou_operateur_du_marche(user, objet):
    """The porteurs of the atelier other than its pilot: they see the totals, not the detail."""
    marche = _marche(objet)
    return marche is not None and (
        operateur_atelier(user, marche.atelier) or collectivite_porteuse(user, marche.atelier)
    )


# The detail of the money (échéancier, payments, credits, EJ): the pilot, who commits and pays,
# and DGALN, who funds. The attributaire follows its payments in Chorus Pro, where it bills:
# no money page of the portal opens to a groupement.
rules.add_perm("marches.voir_finances", est_dgaln | pilote_du_marche)
rules.add_perm(
    "marches.voir_totaux_finances",
    est_dgaln | pilote_du_marche | collectivite_ou_operateur_du_marche,
)
rules.add_perm("marches.gerer_finances", pilote_du_marche & marche_notifie)
rules.add_perm("marches.voir_finances_nationales", est_dgaln)
# The données essentielles: the buyer (the pilot service) publishes them; DGALN reads them all.
rules.add_perm("marches.voir_decp", est_dgaln | pilote_du_marche)
rules.add_perm("marches.exporter_decp", est_dgaln | est_service_etat)


# cctp: the CCTP's draft, written with the porteurs while the marché is prepared, is corrected
# by the pilot alone during the consultation, until the deadline, for a rectificatif.
@rules.predicate
def consultation_ouverte(user, objet):
    """The marché is in consultation and its current round's deadline is not past."""
    from django.utils import timezone

    marche = _marche(objet)
    if marche is None or marche.statut != marche.Statut.EN_CONSULTATION:
        return False
    consultation = marche.consultations.order_by("-numero").first()
    return consultation is not None and consultation.date_limite > timezone.now()


rules.set_perm(
    "marches.rediger_cctp",
    (membre_du_jury & en_preparation) | (pilote_du_marche & consultation_ouverte),
)
rules.add_perm("marches.rectifier_cctp", pilote_du_marche & consultation_ouverte)


# consult (issue 10 §4-§5): the consultation's parts on the marché page and the groupements'.
@rules.predicate
def consulte_sur_la_consultation(user, consultation):
    """A member of a groupement consulted in this very round."""
    ids = profil(user).ids(Role.GROUPEMENT)
    return (
        consultation is not None
        and bool(ids)
        and consultation.consultes.filter(pk__in=ids).exists()
    )


# The offers table, their pieces and auditions: the panel and DGALN, never a groupement.
rules.add_perm("marches.voir_offres", est_dgaln | membre_du_jury)
# Why teams decline: the pilot of the marché and DGALN (who reads them across marchés).
rules.add_perm("marches.voir_renoncements", est_dgaln | pilote_du_marche)
rules.add_perm("marches.voir_tous_les_renoncements", est_dgaln)
# A consulted groupement tells the pilot it will not answer this round.
rules.add_perm("marches.renoncer", consulte_sur_la_consultation)
# --- analyse (helper `analyse`): marks, rapport d'analyse, attribution, letters -------------


@rules.predicate
def marche_en_analyse(user, objet):
    marche = _marche(objet)
    return marche is not None and marche.statut == marche.Statut.EN_ANALYSE


@rules.predicate
def marche_attribue(user, objet):
    marche = _marche(objet)
    return marche is not None and marche.statut == marche.Statut.ATTRIBUE


@rules.predicate
def groupement_attributaire(user, objet):
    marche = _marche(objet)
    return marche is not None and marche.attributaire_id in profil(user).ids(Role.GROUPEMENT)


@rules.predicate
def groupement_de_la_lettre(user, lettre):
    return lettre is not None and lettre.groupement_id in profil(user).ids(Role.GROUPEMENT)


# The analysis page, with each member's marks side by side: the panel, and DGALN who helps.
rules.add_perm("marches.voir_analyse", est_dgaln | membre_du_jury)
# Each panel member enters their own marks while the offers are analysed; DGALN may enter
# marks of its own to help the panel (shown beside the members', never counted).
rules.add_perm("marches.noter_offre", (est_dgaln | membre_du_jury) & marche_en_analyse)
# The collegial marks, the ones that count, are recorded by the pilot for the panel.
rules.add_perm("marches.noter_collegialement", pilote_du_marche & marche_en_analyse)
rules.add_perm("marches.produire_rapport", pilote_du_marche & marche_en_analyse)
rules.add_perm("marches.signer_rapport", membre_du_jury & (marche_en_analyse | marche_attribue))
rules.add_perm("marches.view_rapportanalyse", est_dgaln | membre_du_jury)
# The acte d'engagement: the panel, DGALN, and the attributaire once it is notified.
rules.add_perm(
    "marches.view_attribution",
    est_dgaln | membre_du_jury | (groupement_attributaire & marche_notifie),
)
# A letter: the panel, DGALN and the groupement it is addressed to, never another.
rules.add_perm("marches.view_lettre", est_dgaln | membre_du_jury | groupement_de_la_lettre)
