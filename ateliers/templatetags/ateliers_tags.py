from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ateliers.formats import euros as _euros
from ateliers.models import PHASES_ACCOMPAGNEMENT, Phase
from comptes.dates import date_heure_longue
from comptes.templatetags.portail import iso8601

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


def _ligne_du_journal(evenement) -> str:
    date = timezone.localtime(evenement.date)
    qui = ""
    if evenement.par_id:
        qui = f" — {escape(evenement.par.get_full_name())}"
        if evenement.organisation_id:
            qui += f" ({escape(evenement.organisation.nom)})"
    etats = (
        f" : de « {escape(evenement.etat_avant_libelle)} » à « "
        f"{escape(evenement.etat_apres_libelle)} »"
        if evenement.etat_avant_libelle
        else ""
    )
    commentaire = (
        f'<p class="fr-text--sm fr-mb-0">{linebreaksbr(evenement.commentaire)}</p>'
        if evenement.commentaire
        else ""
    )
    return (
        '<li class="fr-mb-2w"><p class="fr-text--sm fr-mb-0">'
        f'<time datetime="{iso8601(date)}">'
        f"{escape(date_heure_longue(date))}</time>{qui}</p>"
        f'<p class="fr-mb-0"><strong>{escape(evenement.libelle)}</strong>{etats}</p>'
        f"{commentaire}</li>"
    )


@register.simple_tag
def lignes_du_journal(journal) -> SafeString:
    """The lines of a journal's page, written here rather than by a template (each line was a
    dozen nodes, the atelier page draws thirty): who acted and when, what happened, from which
    state to which, the comment with its line breaks (`linebreaksbr`). Escaped with the
    standard library's `html.escape`, as `feuille_route_tags` does."""
    lignes = "".join(_ligne_du_journal(evenement) for evenement in journal)
    return mark_safe(f'<ol class="fr-raw-list">{lignes}</ol>')
