"""The pré-candidature: opened by a service or a collectivité, confirmed or declined by
DGALN; its confirmation opens the candidature."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ateliers.models import Atelier
from ateliers.selectors import courriels_porteurs
from ateliers.services import (
    ActionImpossible,
    atelier_creer,
    etape_de,
    transition_appliquer,
)
from candidatures.models import (
    Candidature,
    Contact,
    DynamiquesAmenagement,
    DynamiquesTerritoire,
    Localisation,
    Objectifs,
    Objet,
    PartieNote,
    Porteurs,
    PreCandidature,
    Ressources,
    Thematique,
)
from candidatures.services._commun import _lien
from candidatures.services.note import _sauver_partie
from comptes.models import Organisation, Role, Utilisateur
from comptes.selectors import courriels_dgaln, profil
from comptes.services import courriel_ecrire_depuis_gabarit
from territoires.models import EPCI, Departement


def _collectivites_des_epci(epcis: Iterable[EPCI]) -> list[Organisation]:
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
    par: Utilisateur,
    intitule: str,
    departements: Iterable[Departement],
    epcis: Iterable[EPCI],
    communes: str,
    service_pilote: Organisation | None,
    operateur: Organisation | None,
    intention: str,
    thematiques: Iterable[Thematique],
    contacts: Iterable[dict[str, str]],
) -> Atelier:
    """Open a pré-candidature: the atelier is created and DGALN is told by e-mail. The chosen
    EPCI, and the collectivité of a collectivité's agent who opens it, become its porteuses."""
    if not par.has_perm("candidatures.ouvrir_precandidature"):
        raise PermissionDenied(
            "Seuls les services de l'État et les collectivités ouvrent une pré-candidature."
        )
    siennes = [o for o in profil(par).organisations if o.role == Role.COLLECTIVITE]
    porteuses = {o.pk: o for o in [*siennes, *_collectivites_des_epci(epcis)]}
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
    courriel_ecrire_depuis_gabarit(
        gabarit="precandidature_ouverte",
        contexte={"par": par, "atelier": atelier, "lien": _lien(atelier)},
        destinataires=courriels_dgaln(),
    )
    return atelier


def precandidature_confirmer(*, atelier: Atelier, par: Utilisateur, vu: str) -> Atelier:
    """DGALN confirms the opportunity while the atelier is still in the phase `vu` it saw:
    the pré-candidature and the atelier move together, the candidature opens and the porteurs
    are told."""
    with transaction.atomic():
        precandidature = transition_appliquer(
            objet=atelier.precandidature,
            transition="confirmer",
            par=par,
            vu=None,
            phase="confirmer_opportunite",
            phase_vu=vu,
        )
        atelier = precandidature.atelier
        candidature_ouvrir(atelier=atelier)
        courriel_ecrire_depuis_gabarit(
            gabarit="opportunite_confirmee",
            contexte={"atelier": atelier, "lien": _lien(atelier)},
            destinataires=courriels_porteurs(atelier),
        )
    return atelier


def precandidature_decliner(*, atelier: Atelier, par: Utilisateur, vu: str, motif: str) -> Atelier:
    """DGALN declines the opportunity: the atelier ends, with its reason told to the porteurs."""
    with transaction.atomic():
        precandidature = transition_appliquer(
            objet=atelier.precandidature,
            transition="decliner",
            par=par,
            vu=None,
            phase="decliner_opportunite",
            phase_vu=vu,
            motif=motif,
        )
        atelier = precandidature.atelier
        courriel_ecrire_depuis_gabarit(
            gabarit="opportunite_declinee",
            contexte={"atelier": atelier, "lien": _lien(atelier)},
            destinataires=courriels_porteurs(atelier),
        )
    return atelier


def atelier_abandonner_en_candidature(
    *, atelier: Atelier, par: Utilisateur, vu: str, motif: str
) -> Atelier:
    """Abandon an atelier whose phase candidatures owns (pré-candidature, candidature,
    instruction), if it is still in the phase `vu` its user saw: its pré-candidature or its
    candidature closes with it, so that no note stays open and no dossier stays in DGALN's
    queue."""
    etape = etape_de(atelier, "abandonner")
    objet: PreCandidature | Candidature
    if etape == PreCandidature._meta.label:
        objet = atelier.precandidature
    elif etape == Candidature._meta.label:
        objet = atelier.candidature
    else:
        raise ActionImpossible(
            f"L'atelier est à l'étape « {atelier.get_phase_display()} » : son abandon ne se "
            "fait plus depuis la candidature."
        )
    objet = transition_appliquer(
        objet=objet,
        transition="abandonner",
        par=par,
        vu=None,
        phase="abandonner",
        phase_vu=vu,
        motif=motif,
    )
    return objet.atelier


def candidature_ouvrir(*, atelier: Atelier) -> Candidature:
    """Open the candidature of a confirmed atelier with every part of its note, pre-filled from
    the atelier and its pré-candidature (title, themes, porteurs), so that nobody starts from a
    blank page."""
    candidature = Candidature.objects.create(atelier=atelier)
    precandidature = PreCandidature.objects.filter(atelier=atelier).first()
    for partie, multiples in _parties_preremplies(atelier, candidature, precandidature):
        _sauver_partie(partie, multiples)
    return candidature


def _parties_preremplies(
    atelier: Atelier, candidature: Candidature, precandidature: PreCandidature | None
) -> list[tuple[PartieNote, dict[str, Any]]]:
    """Each part of the note, unsaved, with what the portal already knows, and its
    many-to-many values."""
    collectivites = [
        {"organisation": o.nom, "siren": o.siren or ""} for o in atelier.collectivites.all()
    ]
    epcis = list(atelier.epcis.all())
    populations = [e.population for e in epcis if e.population is not None]
    # The EPCI's population is the perimeter's only when the atelier covers them whole.
    population = (
        sum(populations)
        if epcis and not atelier.communes.strip() and len(populations) == len(epcis)
        else None
    )
    return [
        (
            Porteurs(
                candidature=candidature,
                collectivites=collectivites,
                service_pilote=atelier.service_pilote.nom if atelier.service_pilote else "",
                operateur=atelier.operateur.nom if atelier.operateur else "",
            ),
            {},
        ),
        (
            Localisation(candidature=candidature, communes=atelier.communes, population=population),
            {"departements": atelier.departements.all(), "epcis": epcis},
        ),
        (
            Objet(candidature=candidature, titre=atelier.intitule),
            {"thematiques": precandidature.thematiques.all() if precandidature else []},
        ),
        (Objectifs(candidature=candidature), {}),
        (Ressources(candidature=candidature), {}),
        (DynamiquesTerritoire(candidature=candidature), {}),
        (DynamiquesAmenagement(candidature=candidature), {}),
    ]
