from django import template
from django.utils.html import format_html

from ateliers.formats import euros as _euros
from ateliers.models import PHASES_ACCOMPAGNEMENT, Phase

register = template.Library()

# One colour per family (ux.md): waiting on someone (new), under way (info), done, refused.
_FAMILLES = {
    Phase.CLOTURE: "success",
    Phase.NON_ELIGIBLE: "error",
    Phase.ABANDONNE: "error",
    **dict.fromkeys(PHASES_ACCOMPAGNEMENT, "info"),
}


@register.simple_tag
def badge_phase(atelier):
    """The phase's badge, written here rather than by a template: a list draws 25 of them."""
    return format_html(
        '<span class="fr-badge fr-badge--sm fr-badge--{} fr-badge--no-icon">{}</span>',
        _FAMILLES.get(atelier.phase, "new"),
        atelier.get_phase_display(),
    )


@register.filter
def euros(montant):
    """« 100 000 € », « 1 250,50 € »."""
    return _euros(montant)
