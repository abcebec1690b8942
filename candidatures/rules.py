"""Who may read and who may write a candidature; a groupement never sees one."""

import rules

from ateliers.rules import (
    est_collectivite,
    est_dgaln,
    est_service_etat,
    porteur_atelier,
    voit_atelier,
)


@rules.predicate
def porteur_de_la_candidature(user, candidature):
    return candidature is not None and porteur_atelier(user, candidature.atelier)


@rules.predicate
def service_etat_du_territoire(user, candidature):
    return (
        candidature is not None
        and est_service_etat(user)
        and voit_atelier(user, candidature.atelier)
    )


@rules.predicate
def modifiable(user, candidature):
    """Drafted, or sent back for compléments (which parts: Candidature.piece_modifiable)."""
    return candidature is not None and candidature.modifiable


rules.add_perm(
    "candidatures.view_candidature",
    est_dgaln | porteur_de_la_candidature | service_etat_du_territoire,
)
rules.add_perm("candidatures.rediger_candidature", porteur_de_la_candidature & modifiable)


@rules.predicate
def voit_la_candidature_de_la_version(user, version):
    return version is not None and user.has_perm(
        "candidatures.view_candidature", version.candidature
    )


rules.add_perm("candidatures.view_versioncandidature", voit_la_candidature_de_la_version)
# The transitions' permissions (Candidature.deposer, Candidature.instruire).
rules.add_perm("candidatures.deposer_candidature", porteur_de_la_candidature)
# Reviewing a dossier (taking it, annotating it, asking colleagues) is DGALN's alone.
rules.add_perm("candidatures.instruire_candidature", est_dgaln)


@rules.predicate
def voit_la_candidature_du_message(user, message):
    return message is not None and user.has_perm(
        "candidatures.view_candidature", message.candidature
    )


@rules.predicate
def expert_sollicite(user, demande):
    return demande is not None and demande.expert_id == user.pk


@rules.predicate
def avis_attendu(user, demande):
    return demande is not None and not demande.rendu


# The thread is read by whoever reads the candidature, written by DGALN and the porteurs;
# its attachments follow the message.
rules.add_perm("candidatures.echanger", est_dgaln | porteur_de_la_candidature)
rules.add_perm("candidatures.view_message", voit_la_candidature_du_message)
# Opinions are seen by DGALN and their author only: never by the porteurs.
rules.add_perm("candidatures.view_demandeavis", est_dgaln | expert_sollicite)
rules.add_perm("candidatures.rendre_avis", expert_sollicite & avis_attendu)


@rules.predicate
def voit_la_candidature_de_la_decision(user, decision):
    return decision is not None and user.has_perm(
        "candidatures.view_candidature", decision.candidature
    )


# A decision and its letter are read by whoever reads the candidature.
rules.add_perm("candidatures.view_decision", voit_la_candidature_de_la_decision)

# A State service or a collectivité opens a pré-candidature; DGALN qualifies them, reviews the
# deposited dossiers in its queue and follows the year's cohort.
rules.add_perm("candidatures.ouvrir_precandidature", est_service_etat | est_collectivite)
rules.add_perm("candidatures.qualifier_precandidatures", est_dgaln)
rules.add_perm("candidatures.voir_file_instruction", est_dgaln)
rules.add_perm("candidatures.voir_cohorte", est_dgaln)
