"""What the marchés app shows on an atelier's page: its marché, the launch and the abandon
during the marché phase, which marches owns."""

from typing import Any

from django_fsm import has_transition_perm

from ateliers.forms import action_form
from ateliers.models import Atelier, Phase
from ateliers.sections import Section
from ateliers.services import etape_de
from comptes.models import AnyUser
from marches.models import MarcheSubsequent
from marches.views.ouverture import action_abandonner, action_ouvrir, peut_ouvrir


def section_marche(*, atelier: Atelier, user: AnyUser) -> Section | None:
    """The atelier's marché subséquent, where it stands, and its launch for the pilot; nothing
    for who may not see it (a groupement reads its consultations elsewhere), nor before the
    atelier is eligible."""
    marches = list(
        MarcheSubsequent.objects.filter(atelier=atelier)
        .exclude(statut=MarcheSubsequent.Statut.NOUVEAU)
        .select_related("accord_cadre", "attributaire")
        .order_by("-numero")
    )
    if atelier.phase not in (Phase.ELIGIBLE, Phase.MARCHE) and not marches:
        return None
    for m in marches:
        # The page's own atelier: the permission checks below read neither it nor its
        # collectivités again, once per marché.
        m.atelier = atelier
    visibles = [m for m in marches if user.has_perm("marches.view_marchesubsequent", m)]
    if marches and not visibles:
        return None
    vivant = next((m for m in visibles if m.statut != MarcheSubsequent.Statut.SANS_SUITE), None)
    marche = vivant or (visibles[0] if visibles else None)
    actions: list[dict[str, Any]] = []
    if peut_ouvrir(atelier, user):
        action = action_ouvrir(atelier)
        action["form"] = action_form(action, prefix=action["nom"])
        actions.append(action)
    abandon: tuple[dict[str, Any], ...] = ()
    if etape_de(atelier, "abandonner") == MarcheSubsequent._meta.label and has_transition_perm(
        atelier.abandonner, user
    ):
        action = action_abandonner(atelier)
        action["form"] = action_form(action, prefix="abandonner")
        abandon = (action,)
    return Section(
        titre="Marché subséquent",
        ancre="marche",
        gabarit="marches/_section_marche.html",
        contexte={
            "marche": marche,
            "anciens": [m for m in visibles if m is not marche],
            "peut_ouvrir": bool(actions),
        },
        a_faire=tuple(a["libelle"] for a in actions),
        actions=(*actions, *abandon),
    )
