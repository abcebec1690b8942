"""Every write on pré-candidatures and candidatures."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from ateliers.selectors import courriels_porteurs
from ateliers.services import ActionImpossible, atelier_creer, transition_appliquer
from candidatures.models import Contact, PreCandidature
from comptes.models import Organisation
from comptes.selectors import courriels_dgaln
from comptes.tasks import envoyer_courriel


def _envoyer_apres_validation(*, sujet, corps, destinataires):
    """One e-mail per person, queued once the transaction is committed (nobody sees the other
    recipients' addresses, and a rolled-back change sends nothing)."""
    for destinataire in destinataires:
        transaction.on_commit(
            lambda d=destinataire: envoyer_courriel.delay(
                sujet=sujet, corps=corps, destinataires=[d]
            ),
            robust=True,
        )


def _lien(atelier):
    return settings.PORTAIL_URL + reverse("ateliers:detail", args=[atelier.pk])


def _collectivites_des_epci(epcis):
    """The portal's organisation for each EPCI, created from the referential when missing."""
    collectivites = []
    for epci in epcis:
        organisation, _ = Organisation.objects.get_or_create(
            siren=epci.siren,
            defaults={
                "nom": epci.nom,
                "type": Organisation.Type.EPCI,
                "departement": epci.departement,
            },
        )
        collectivites.append(organisation)
    return collectivites


@transaction.atomic
def precandidature_ouvrir(
    *,
    par,
    intitule,
    departements,
    epcis,
    communes,
    collectivites,
    service_pilote,
    operateur,
    intention,
    thematiques,
    contacts,
):
    """Open a pré-candidature: the atelier is created and DGALN is told by e-mail."""
    porteuses = {o.pk: o for o in [*collectivites, *_collectivites_des_epci(epcis)]}
    atelier = atelier_creer(
        intitule=intitule,
        departements=departements,
        epcis=epcis,
        communes=communes,
        par=par,
        collectivites=list(porteuses.values()),
        service_pilote=service_pilote,
        operateur=operateur,
    )
    precandidature = PreCandidature.objects.create(atelier=atelier, intention=intention)
    precandidature.thematiques.set(thematiques)
    Contact.objects.bulk_create(Contact(precandidature=precandidature, **c) for c in contacts)
    _envoyer_apres_validation(
        sujet=f"Nouvelle pré-candidature : {atelier.intitule}",
        corps=(
            f"{par.get_full_name()} a ouvert la pré-candidature « {atelier.intitule} » "
            f"({atelier.reference}).\n\nPour la lire et confirmer ou décliner l'opportunité :\n"
            f"{_lien(atelier)}\n"
        ),
        destinataires=courriels_dgaln(),
    )
    return atelier


def precandidature_confirmer(*, atelier, par):
    """DGALN confirms the opportunity: the candidature opens and the porteurs are told."""
    with transaction.atomic():
        atelier = transition_appliquer(objet=atelier, transition="confirmer_opportunite", par=par)
        _envoyer_apres_validation(
            sujet=f"Opportunité confirmée : {atelier.intitule}",
            corps=(
                f"La DGALN a confirmé l'opportunité de l'atelier « {atelier.intitule} » "
                f"({atelier.reference}).\n\nLa candidature est ouverte : vous pouvez rédiger "
                f"ensemble la note d'opportunité.\n{_lien(atelier)}\n"
            ),
            destinataires=courriels_porteurs(atelier),
        )
    return atelier


def precandidature_decliner(*, atelier, par, motif):
    """DGALN declines the opportunity: the atelier ends, with its reason told to the porteurs."""
    if not motif.strip():
        raise ActionImpossible("Indiquez le motif : il sera communiqué aux porteurs.")
    with transaction.atomic():
        atelier = transition_appliquer(
            objet=atelier,
            transition="decliner_opportunite",
            par=par,
            commentaire=motif.strip(),
            motif=motif,
        )
        _envoyer_apres_validation(
            sujet=f"Opportunité déclinée : {atelier.intitule}",
            corps=(
                f"La DGALN n'a pas confirmé l'opportunité de l'atelier « {atelier.intitule} » "
                f"({atelier.reference}).\n\nMotif :\n{atelier.motif_sortie}\n\n{_lien(atelier)}\n"
            ),
            destinataires=courriels_porteurs(atelier),
        )
    return atelier
