"""Who may read and who may write a candidature; a groupement never sees one."""

import rules

from ateliers.rules import est_dgaln, porteur_atelier, voit_atelier
from comptes.selectors import profil


@rules.predicate
def porteur_de_la_candidature(user, candidature):
    return candidature is not None and porteur_atelier(user, candidature.atelier)


@rules.predicate
def service_etat_du_territoire(user, candidature):
    return (
        candidature is not None
        and profil(user).est_service_etat
        and voit_atelier(user, candidature.atelier)
    )


@rules.predicate
def en_redaction(user, candidature):
    return candidature is not None and candidature.modifiable


rules.add_perm(
    "candidatures.view_candidature",
    est_dgaln | porteur_de_la_candidature | service_etat_du_territoire,
)
rules.add_perm("candidatures.rediger_candidature", porteur_de_la_candidature & en_redaction)


@rules.predicate
def voit_la_candidature_de_la_version(user, version):
    return version is not None and user.has_perm(
        "candidatures.view_candidature", version.candidature
    )


rules.add_perm("candidatures.view_versioncandidature", voit_la_candidature_de_la_version)
# The transitions' permissions (Candidature.deposer, Candidature.instruire).
rules.add_perm("candidatures.deposer_candidature", porteur_de_la_candidature)
rules.add_perm("candidatures.instruire_candidature", est_dgaln)
