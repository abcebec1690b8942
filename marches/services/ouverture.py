"""Opening a marché subséquent under the accord-cadre in force, and its ends without a
groupement: classed without follow-up, the atelier abandoned."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from ateliers.models import PILOTER, Atelier, Phase
from ateliers.selectors import courriels_porteurs
from ateliers.services import ActionImpossible, etape_de, etat_verifier, transition_appliquer
from comptes.models import Utilisateur
from comptes.selectors import courriels_membres
from comptes.services import courriel_ecrire_depuis_gabarit
from marches.models import AccordCadre, MarcheSubsequent
from marches.services._commun import lien_marche
from marches.services.cctp import cctp_creer


def accord_cadre_en_vigueur() -> AccordCadre | None:
    """The accord-cadre a marché opened today falls under: the most recent one in force."""
    return AccordCadre.objects.en_vigueur().order_by("-date_debut").first()


@transaction.atomic
def marche_ouvrir(*, atelier: Atelier, par: Utilisateur, vu: str) -> MarcheSubsequent:
    """Open the atelier's marché subséquent under the accord-cadre in force, if the atelier is
    still in the phase `vu` its pilot saw: an eligible atelier enters the marché phase with it;
    after a marché classed without follow-up, a new one opens in the same phase. The porteurs
    are told that the CCTP is being written."""
    if not par.has_perm(PILOTER, atelier):
        raise PermissionDenied("Seul le service pilote de l'atelier lance son marché subséquent.")
    atelier = Atelier.objects.select_for_update().get(pk=atelier.pk)
    etat_verifier(objet=atelier, champ="phase", vu=vu)
    if atelier.phase not in (Phase.ELIGIBLE, Phase.MARCHE):
        raise ActionImpossible(
            f"L'atelier est à l'étape « {atelier.get_phase_display()} » : un marché subséquent "
            "ne se lance qu'une fois l'atelier déclaré éligible."
        )
    if atelier.marches.vivants().exists():
        raise ActionImpossible(
            "Cet atelier a déjà un marché subséquent en cours : classez-le sans suite avant d'en "
            "ouvrir un autre."
        )
    accord_cadre = accord_cadre_en_vigueur()
    if accord_cadre is None:
        raise ActionImpossible(
            "Aucun accord-cadre n'est en vigueur aujourd'hui : un marché subséquent ne peut pas "
            "être lancé. La DGALN enregistre le nouvel accord-cadre et ses titulaires."
        )
    numero = (atelier.marches.aggregate(n=Max("numero"))["n"] or 0) + 1
    marche = MarcheSubsequent.objects.create(
        atelier=atelier,
        numero=numero,
        accord_cadre=accord_cadre,
        objet=atelier.intitule,
        ouvert_par=par,
    )
    cctp_creer(marche=marche)
    eligible = atelier.phase == Phase.ELIGIBLE
    marche = transition_appliquer(
        objet=marche,
        transition="ouvrir",
        par=par,
        vu=MarcheSubsequent.Statut.NOUVEAU,
        phase="lancer_marche" if eligible else "",
        phase_vu=vu if eligible else None,
    )
    courriel_ecrire_depuis_gabarit(
        gabarit="marche_ouvert",
        contexte={"marche": marche, "atelier": marche.atelier, "lien": lien_marche(marche)},
        destinataires=courriels_porteurs(marche.atelier),
    )
    return marche


def marche_classer_sans_suite(
    *, marche: MarcheSubsequent, par: Utilisateur, vu: str, motif: str
) -> MarcheSubsequent:
    """The pilot gives the marché up with its reason, if it is still in the state `vu` they
    saw; the atelier stays in the marché phase, for a new marché or its abandon. The porteurs,
    and the groupements consulted if a consultation was published, are told."""
    with transaction.atomic():
        marche = transition_appliquer(
            objet=marche, transition="classer_sans_suite", par=par, vu=vu, motif=motif
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="marche_sans_suite",
            contexte={"marche": marche, "atelier": marche.atelier, "lien": lien_marche(marche)},
            destinataires=[*courriels_porteurs(marche.atelier), *_courriels_consultes(marche)],
        )
    return marche


def atelier_abandonner_en_marche(
    *, atelier: Atelier, par: Utilisateur, vu: str, motif: str
) -> Atelier:
    """Abandon an atelier in its marché phase, if it is still in the phase `vu` its user saw:
    its marché, unless it was already classed without follow-up, ends with it (no consultation
    stays open for an atelier that no longer exists)."""
    atelier = Atelier.objects.get(pk=atelier.pk)
    if etape_de(atelier, "abandonner") != MarcheSubsequent._meta.label:
        raise ActionImpossible(
            f"L'atelier est à l'étape « {atelier.get_phase_display()} » : son abandon ne se "
            "fait pas depuis le marché subséquent."
        )
    with transaction.atomic():
        marche = atelier.marches.order_by("-numero").first()
        if marche is None:
            raise ActionImpossible("Cet atelier n'a pas de marché subséquent à clore.")
        marche = transition_appliquer(
            objet=marche,
            transition="abandonner_atelier",
            par=par,
            vu=None,
            phase="abandonner",
            phase_vu=vu,
            motif=motif,
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="marche_atelier_abandonne",
            contexte={"marche": marche, "atelier": marche.atelier, "motif": motif.strip()},
            destinataires=[*courriels_porteurs(marche.atelier), *_courriels_consultes(marche)],
        )
    return marche.atelier


def _courriels_consultes(marche: MarcheSubsequent) -> list[str]:
    """The members of the groupements consulted in any round of the marché."""
    consultes = {o.pk for c in marche.consultations.all() for o in c.consultes.all()}
    return courriels_membres(consultes)
