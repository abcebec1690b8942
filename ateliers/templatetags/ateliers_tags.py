from django import template

from ateliers.models import PHASES_ACCOMPAGNEMENT, Phase

register = template.Library()

# One colour per family (ux.md): waiting on someone (new), under way (info), done, refused.
_FAMILLES = {
    Phase.CLOTURE: "success",
    Phase.NON_ELIGIBLE: "error",
    Phase.ABANDONNE: "error",
    **dict.fromkeys(PHASES_ACCOMPAGNEMENT, "info"),
}


@register.inclusion_tag("ateliers/_badge_phase.html")
def badge_phase(atelier):
    return {"libelle": atelier.get_phase_display(), "famille": _FAMILLES.get(atelier.phase, "new")}
