"""The daily alerts: raised once per cause with an e-mail to the pilot (and the groupement when
it is theirs), cleared when the cause is gone."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ateliers.models import Alerte, Atelier
from ateliers.selectors.alertes import Cause, causes_duree, causes_sessions
from comptes.liens import lien_absolu
from comptes.models import Utilisateur
from comptes.services import courriels_ecrire_en_lot

NATURES_ATELIERS = {
    Alerte.Nature.DOUZE_MOIS,
    Alerte.Nature.QUINZE_MOIS,
    Alerte.Nature.SESSION_NON_TENUE,
    Alerte.Nature.COMPTE_RENDU_ATTENDU,
}


def _adresses(ateliers: dict[int, Atelier]) -> dict[int, list[str]]:
    """The active members' addresses of each organisation of these ateliers, in one query."""
    organisations = {
        o for a in ateliers.values() for o in (a.service_pilote_id, a.groupement_id) if o
    }
    adresses: dict[int, list[str]] = defaultdict(list)
    for email, organisation in Utilisateur.objects.filter(
        is_active=True, organisations__in=organisations
    ).values_list("email", "organisations"):
        adresses[organisation].append(email)
    return adresses


@transaction.atomic
def alertes_synchroniser(
    *, natures: Iterable[str], causes: list[Cause], maintenant: datetime.datetime | None = None
) -> tuple[int, int]:
    """Make the open alerts of these natures exactly the causes found: a new cause is raised
    and written to its people (one e-mail per person, listing their new alerts), a cause gone
    is cleared. A bounded number of queries, whatever the number of ateliers. Returns
    (raised, cleared)."""
    maintenant = maintenant or timezone.now()
    natures = set(natures)
    ouvertes = {
        (a.atelier_id, a.nature, a.cle): a.pk
        for a in Alerte.objects.select_for_update()
        .filter(resolue_le__isnull=True, nature__in=natures)
        .only("pk", "atelier_id", "nature", "cle")
    }
    trouvees = {(c.atelier_id, c.nature, c.cle): c for c in causes if c.nature in natures}
    finies = [pk for cle, pk in ouvertes.items() if cle not in trouvees]
    if finies:
        Alerte.objects.filter(pk__in=finies).update(resolue_le=maintenant)
    nouvelles = [c for cle, c in trouvees.items() if cle not in ouvertes]
    if not nouvelles:
        return 0, len(finies)
    Alerte.objects.bulk_create(
        Alerte(
            atelier_id=c.atelier_id,
            nature=c.nature,
            cle=c.cle,
            libelle=c.libelle[:255],
            levee_le=maintenant,
        )
        for c in nouvelles
    )
    # The phase too: the FSM mixin reads it when each row is built (a query per row otherwise).
    ateliers = Atelier.objects.only(
        "pk", "phase", "intitule", "cree_le", "service_pilote_id", "groupement_id"
    ).in_bulk({c.atelier_id for c in nouvelles})
    adresses = _adresses(ateliers)
    par_personne: dict[str, list[tuple[Atelier, Cause, str]]] = defaultdict(list)
    for cause in nouvelles:
        atelier = ateliers[cause.atelier_id]
        lien = lien_absolu("ateliers:calendrier", atelier.pk)
        organisations = [atelier.service_pilote_id]
        if cause.groupement:
            organisations.append(atelier.groupement_id)
        for organisation in organisations:
            for adresse in adresses.get(organisation or 0, []):
                par_personne[adresse].append((atelier, cause, lien))
    messages = []
    for adresse, alertes in sorted(par_personne.items()):
        contexte = {"alertes": alertes, "nombre": len(alertes)}
        messages.append(
            (
                adresse,
                render_to_string("courriels/alertes_sujet.txt", contexte),
                render_to_string("courriels/alertes_corps.txt", contexte),
            )
        )
    courriels_ecrire_en_lot(messages=messages, gabarit="alertes")
    return len(nouvelles), len(finies)


def alertes_lever(*, aujourd_hui: datetime.date | None = None) -> tuple[int, int]:
    """The ateliers' own alerts (the accompagnement's months, its sessions), run every night."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    causes = [*causes_duree(aujourd_hui), *causes_sessions(aujourd_hui)]
    return alertes_synchroniser(natures=NATURES_ATELIERS, causes=causes)
