"""What the candidatures app shows on an atelier's page."""

from django.db.models import Count, Q
from django.urls import reverse
from django_fsm import can_proceed, has_transition_perm

from ateliers.forms import action_form
from ateliers.models import Phase
from ateliers.sections import Section
from ateliers.services import ACTIONS_PHASE, etape_de
from candidatures.models import (
    DEPOSER,
    PARTIES_PAR_SLUG,
    Candidature,
    PreCandidature,
    etat_des_parties,
)
from candidatures.selectors import (
    candidature_de,
    courriers_actuels,
    derniere_version,
    etat_des_courriers,
    pieces_a_completer_possibles,
    pieces_manquantes,
)

ACTIONS_CANDIDATURE = {
    t.name: t.custom for t in Candidature._meta.get_field("statut").get_all_transitions(Candidature)
}
URLS_QUALIFICATION = {
    "confirmer_opportunite": "candidatures:confirmer",
    "decliner_opportunite": "candidatures:decliner",
}
URLS_ETAPES = {**URLS_QUALIFICATION, "abandonner": "candidatures:abandonner"}
ETAPES_CANDIDATURES = (PreCandidature._meta.label, Candidature._meta.label)


def action_qualification(atelier, transition):
    """A phase change that candidatures owns (DGALN's decision on a pré-candidature, the
    abandon during the candidature), shaped like the atelier page's other actions."""
    return {
        "nom": transition,
        "url": reverse(URLS_ETAPES[transition], args=[atelier.pk]),
        "vu": atelier.phase,
        **ACTIONS_PHASE[transition],
    }


def action_deposer(candidature):
    """The dépôt, shaped like the atelier page's other actions (modal, confirmation page)."""
    return {
        "nom": "deposer",
        "url": reverse("candidatures:deposer", args=[candidature.atelier_id]),
        "vu": candidature.statut,
        **ACTIONS_CANDIDATURE["deposer"],
    }


def actions_de_phase(atelier, user):
    """The atelier's phase changes that candidatures owns in its current phase and that this
    user may make, besides the qualification: abandoning the atelier, its pré-candidature or
    candidature closing with it."""
    if etape_de(atelier, "abandonner") not in ETAPES_CANDIDATURES or not has_transition_perm(
        atelier.abandonner, user
    ):
        return ()
    action = action_qualification(atelier, "abandonner")
    action["form"] = action_form(action, prefix="abandonner")
    return (action,)


def depot_ouvert(candidature, user):
    """May this user open the dépôt now: a porteur, while the candidature may be deposited
    (complete or not: the dépôt page says what is missing). The one rule of the dépôt page and
    of every link to it."""
    return can_proceed(candidature.deposer, check_conditions=False) and user.has_perm(
        DEPOSER, candidature
    )


def section_precandidature(*, atelier, user):
    """The pré-candidature (intention, themes, contacts) and, for DGALN, its two decisions."""
    precandidature = (
        PreCandidature.objects.filter(atelier=atelier)
        .prefetch_related("thematiques", "contacts")
        .first()
    )
    if precandidature is None:
        return None
    actions = []
    for transition in URLS_QUALIFICATION:
        # False outside pré-candidature too: the transitions start from that phase only.
        if has_transition_perm(getattr(atelier, transition), user):
            action = action_qualification(atelier, transition)
            action["form"] = action_form(action, prefix=transition)
            actions.append(action)
    return Section(
        titre="Pré-candidature",
        ancre="precandidature",
        gabarit="candidatures/_section_precandidature.html",
        contexte={"precandidature": precandidature, "actions": actions},
        a_faire=tuple(a["libelle"] for a in actions if not a.get("danger")),
        actions=actions_de_phase(atelier, user) if atelier.phase == Phase.PRE_CANDIDATURE else (),
    )


def section_candidature(*, atelier, user):
    """The candidature's status, each part of the note and each signed letter with its
    completeness, the dépôt when the dossier is complete; once deposited, the latest version
    with its dossier PDF."""
    candidature = candidature_de(atelier)
    if candidature is None or not user.has_perm("candidatures.view_candidature", candidature):
        return None
    peut_rediger = user.has_perm("candidatures.rediger_candidature", candidature)
    etats = etat_des_parties(candidature)
    courriers = courriers_actuels(candidature)
    manquants = pieces_manquantes(candidature, etats=etats, courriers=courriers)
    action = None
    if peut_rediger and not manquants and user.has_perm(DEPOSER, candidature):
        action = action_deposer(candidature)
        action["form"] = action_form(action, prefix=action["nom"])
    version, dossier = derniere_version(candidature, contenu=False)
    complements = []
    if candidature.statut == Candidature.Statut.COMPLEMENTS_DEMANDES:
        libelles = dict(pieces_a_completer_possibles())
        complements = [
            {
                "libelle": libelles[cle],
                "url": reverse("candidatures:partie", args=[atelier.pk, cle])
                if cle in PARTIES_PAR_SLUG
                else reverse("candidatures:courriers", args=[atelier.pk]),
            }
            for cle in candidature.complements
        ]
    # The words of what is expected, where candidatures' « à traiter » says that something is.
    if peut_rediger and complements:
        demandees = ", ".join(f"« {piece['libelle']} »" for piece in complements)
        a_faire = (f"Compléter {demandees} à la demande de la DGALN, puis déposer à nouveau",)
    elif action:
        a_faire = (action["libelle"],)
    elif peut_rediger:
        a_faire = ("Rédiger la note d'opportunité",)
    else:
        a_faire = ()
    return Section(
        titre="Candidature",
        ancre="candidature",
        gabarit="candidatures/_section_candidature.html",
        contexte={
            "candidature": candidature,
            "etats": etats,
            "courriers": etat_des_courriers(candidature, courriers=courriers),
            "pieces_manquantes": manquants,
            "peut_rediger": peut_rediger,
            "action": action,
            "version": version,
            "dossier": dossier,
            "complements": complements,
        },
        a_faire=a_faire,
        actions=actions_de_phase(atelier, user),
    )


def section_echanges(*, atelier, user):
    """The thread with DGALN and, for DGALN alone, its private side of the dossier."""
    candidature = candidature_de(atelier)
    if candidature is None or not user.has_perm("candidatures.view_candidature", candidature):
        return None
    instruction = user.has_perm("candidatures.instruire_candidature", candidature)
    # DGALN's private side is counted for DGALN only: joined with the messages, the
    # annotations and the avis multiply the rows counted.
    comptes: dict[str, Count] = {"messages": Count("messages", distinct=True)}
    if instruction:
        comptes.update(
            annotations=Count("annotations", distinct=True),
            avis_attendus=Count(
                "demandes_avis", filter=Q(demandes_avis__rendu_le__isnull=True), distinct=True
            ),
        )
    contexte = {
        **Candidature.objects.filter(pk=candidature.pk).aggregate(**comptes),
        "instruction": instruction,
    }
    return Section(
        titre="Échanges",
        ancre="echanges",
        gabarit="candidatures/_section_echanges.html",
        contexte=contexte,
    )


URLS_INSTRUCTION = {
    "demander_complements": "candidatures:complements",
    "declarer_eligible": "candidatures:decider",
    "corriger_eligible": "candidatures:corriger",
    "corriger_non_eligible": "candidatures:corriger",
}


def actions_instruction(candidature, user):
    """DGALN's actions on a deposited dossier that the state and the user allow now: ask for
    compléments, decide (one page for both outcomes), correct a decision."""
    actions = []
    for transition, url in URLS_INSTRUCTION.items():
        methode = getattr(candidature, transition)
        if can_proceed(methode) and has_transition_perm(methode, user):
            libelle = ACTIONS_CANDIDATURE[transition]["libelle"]
            if transition == "declarer_eligible":
                libelle = "Décider de l'éligibilité"
            actions.append(
                {
                    "url": reverse(url, args=[candidature.atelier_id]),
                    "libelle": libelle,
                    "danger": ACTIONS_CANDIDATURE[transition].get("danger", False),
                }
            )
    return actions
