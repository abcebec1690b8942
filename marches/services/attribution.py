"""The end of a round: the collegial attribution, the notification to the attributaire with
the letters to every groupement that answered, or the round declared unsuccessful and the
marché prepared for a new one."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ateliers.selectors import courriels_porteurs
from ateliers.services import ActionImpossible, etat_verifier, transition_appliquer
from ateliers.services.cadrage import cadrage_ouvrir
from ateliers.services.session import sessions_creer
from comptes.models import Organisation, Utilisateur
from comptes.selectors import courriels_dgaln, courriels_membres
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.services import document_demander, fichier_deposer
from documents.verification import Usage
from marches.models import (
    PILOTER_MARCHE,
    Attribution,
    Consultation,
    Lettre,
    MarcheSubsequent,
    Offre,
)
from marches.selectors.analyse import (
    analyse_de,
    consultation_analysee,
    membres_du_jury,
    rapport_actuel,
)
from marches.selectors.cctp import duree_et_calendrier
from marches.services._commun import lien_marche, lien_vers, marche_verrouille

LETTRE_CONTEXTE = "marches.pdf.contexte_lettre"


def _verifier_pilote(par: Utilisateur, marche: MarcheSubsequent, quoi: str) -> None:
    if not par.has_perm(PILOTER_MARCHE, marche):
        raise PermissionDenied(f"Seul le service pilote {quoi}.")


def _consultation(marche: MarcheSubsequent) -> Consultation:
    consultation = consultation_analysee(marche)
    if consultation is None:
        raise ActionImpossible("Ce marché n'a pas encore de consultation publiée.")
    return consultation


def marche_attribuer(
    *,
    marche: MarcheSubsequent,
    par: Utilisateur,
    vu: str,
    offre: Offre,
    accords: Iterable[Organisation],
    motifs: str,
    motif_ecart: str = "",
) -> MarcheSubsequent:
    """Record the panel's collegial choice of `offre` in the round under analysis, with the
    members who agreed (the pilot's service at least) and the reasons, if the marché is still
    in the state `vu` its pilot saw; the choice rests on a rapport d'analyse of the current
    marks, and another offer than the first ranked needs its own reason. DGALN and the
    porteurs are told; the groupements hear nothing before the notification."""
    _verifier_pilote(par, marche, "attribue le marché")
    motifs, motif_ecart = motifs.strip(), motif_ecart.strip()
    with transaction.atomic():
        marche = marche_verrouille(marche)
        etat_verifier(objet=marche, champ="statut", vu=vu)
        consultation = _consultation(marche)
        analyse = analyse_de(consultation)
        ligne = analyse.ligne(offre.pk)
        if ligne is None or ligne.resultat.exclue:
            raise ActionImpossible("Seule une offre classable de cette consultation est retenue.")
        if not analyse.complete:
            raise ActionImpossible(
                "Toutes les offres classables n'ont pas leurs notes collégiales : complétez "
                "l'analyse avant d'attribuer."
            )
        rapport = rapport_actuel(consultation)
        if rapport is None or rapport.empreinte != analyse.empreinte:
            raise ActionImpossible(
                "Produisez le rapport d'analyse des offres à partir des notes actuelles avant "
                "d'attribuer le marché."
            )
        if ligne.resultat.rang != 1 and not motif_ecart:
            raise ActionImpossible(
                f"Cette offre est classée {ligne.resultat.rang}e : dites pourquoi le jury ne "
                "retient pas l'offre classée première."
            )
        if not motifs:
            raise ActionImpossible("Indiquez les motifs du choix du jury.")
        jury = {o.pk: o for o in membres_du_jury(marche.atelier)}
        accords = list(accords)
        if any(o.pk not in jury for o in accords):
            raise ActionImpossible("Seuls les membres du jury de cet atelier donnent leur accord.")
        if marche.atelier.service_pilote_id not in {o.pk for o in accords}:
            raise ActionImpossible("Le service pilote est d'accord avec le choix qu'il enregistre.")
        attribution = Attribution.objects.create(
            consultation=consultation,
            offre=ligne.offre,
            rapport=rapport,
            motifs=motifs,
            motif_ecart=motif_ecart if ligne.resultat.rang != 1 else "",
            decidee_par=par,
        )
        attribution.accords.set(accords)
        marche = transition_appliquer(
            objet=marche,
            transition="attribuer",
            par=par,
            vu=vu,
            attributaire=ligne.offre.groupement,
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="marche_attribue",
            contexte={
                "marche": marche,
                "atelier": marche.atelier,
                "attributaire": ligne.offre.groupement,
                "lien": lien_marche(marche),
            },
            destinataires=[*courriels_dgaln(), *courriels_porteurs(marche.atelier)],
        )
    return marche


def _lettres(
    *,
    marche: MarcheSubsequent,
    consultation: Consultation,
    par: Utilisateur,
    types: Mapping[int, str],
) -> list[Lettre]:
    """One letter per offer of the round, of the type given for its groupement, each PDF
    rendered after commit; each groupement is e-mailed that its letter is on the portal."""
    offres = list(consultation.offres.select_related("groupement").order_by("recue_le", "pk"))
    lettres = []
    for offre in offres:
        type_lettre = types[offre.groupement_id]
        lettre = Lettre.objects.create(
            consultation=consultation, groupement=offre.groupement, offre=offre, type=type_lettre
        )
        lettre.document = document_demander(
            source=lettre,
            gabarit=f"pdf/lettre_{type_lettre}.html",
            contexte=LETTRE_CONTEXTE,
            titre=f"{lettre.get_type_display()} — {marche.reference} — {offre.groupement.nom}",
            version=1,
            par=par,
        )
        lettre.save(update_fields=["document"])
        courriel_ecrire_depuis_gabarit(
            gabarit=f"lettre_{type_lettre}",
            contexte={
                "marche": marche,
                "atelier": marche.atelier,
                "consultation": consultation,
                "groupement": offre.groupement,
                "lien": lien_vers("documents:telecharger", lettre.document.uuid),
            },
            destinataires=courriels_membres([offre.groupement]),
        )
        lettres.append(lettre)
    return lettres


def marche_notifier(
    *,
    marche: MarcheSubsequent,
    par: Utilisateur,
    vu: str,
    notifie_le: datetime.date,
    acte_engagement: File,
) -> MarcheSubsequent:
    """Notify the marché to its attributaire on `notifie_le`, with the acte d'engagement signed
    by both sides (a checked PDF), if it is still in the state `vu` its pilot saw: the atelier
    enters the cadrage with the attributaire as its groupement (whose users reach it from now
    on); the notification and the rejection letters (R. 2181-1 and R. 2181-3 of the code de la
    commande publique) are printed, each groupement is told its letter is on the portal, and
    the porteurs that the accompagnement starts; its three sessions are created, to be planned."""
    _verifier_pilote(par, marche, "notifie le marché")
    aujourd_hui = timezone.localdate()
    with transaction.atomic():
        marche = marche_verrouille(marche)
        etat_verifier(objet=marche, champ="statut", vu=vu)
        consultation = _consultation(marche)
        attribution = Attribution.objects.filter(consultation=consultation).first()
        if attribution is None:
            raise ActionImpossible("Ce marché n'est pas attribué : il ne se notifie pas encore.")
        decidee = timezone.localdate(attribution.decidee_le)
        if not decidee <= notifie_le <= aujourd_hui:
            raise ActionImpossible(
                f"La date de notification est comprise entre l'attribution "
                f"({decidee:%d/%m/%Y}) et aujourd'hui."
            )
        attribution.acte_engagement = fichier_deposer(
            fichier=acte_engagement, par=par, proprietaire=attribution, usage=Usage.COURRIER_SIGNE
        )
        attribution.save(update_fields=["acte_engagement"])
        attributaire = attribution.offre.groupement
        marche = transition_appliquer(
            objet=marche,
            transition="notifier",
            par=par,
            vu=vu,
            le=notifie_le,
            phase="demarrer_cadrage",
            phase_kwargs={"groupement": attributaire},
        )
        duree_mois, calendrier = duree_et_calendrier(attribution.offre.version_cctp.contenu)
        cadrage_ouvrir(
            atelier=marche.atelier,
            debut=notifie_le,
            duree_mois=duree_mois,
            calendrier_cctp=calendrier,
        )
        sessions_creer(atelier=marche.atelier)
        types = {
            o.groupement_id: (
                Lettre.Type.NOTIFICATION
                if o.groupement_id == attributaire.pk
                else Lettre.Type.REJET
            )
            for o in consultation.offres.all()
        }
        _lettres(marche=marche, consultation=consultation, par=par, types=types)
        courriel_ecrire_depuis_gabarit(
            gabarit="marche_notifie",
            contexte={
                "marche": marche,
                "atelier": marche.atelier,
                "attributaire": attributaire,
                "lien": lien_vers("portail:atelier", marche.atelier_id),
            },
            destinataires=[*courriels_porteurs(marche.atelier), *courriels_dgaln()],
        )
    return marche


def marche_declarer_infructueux(
    *, marche: MarcheSubsequent, par: Utilisateur, vu: str, motif: str
) -> MarcheSubsequent:
    """Close the round under analysis without attributaire, with its reason, when it received
    no offer or none that can be ranked (all late, irregular or unacceptable), if the marché is
    still in the state `vu` its pilot saw: each groupement that answered gets a letter with the
    reason, the porteurs are told that a new consultation may be prepared."""
    _verifier_pilote(par, marche, "déclare la consultation infructueuse")
    with transaction.atomic():
        marche = marche_verrouille(marche)
        etat_verifier(objet=marche, champ="statut", vu=vu)
        consultation = _consultation(marche)
        if consultation.offres.classables().exists():
            raise ActionImpossible(
                "Des offres restent classables : attribuez le marché, ou déclarez d'abord ces "
                "offres irrégulières ou inacceptables avec leur motif."
            )
        marche = transition_appliquer(
            objet=marche, transition="declarer_infructueux", par=par, vu=vu, motif=motif
        )
        groupements = consultation.offres.values_list("groupement_id", flat=True)
        _lettres(
            marche=marche,
            consultation=consultation,
            par=par,
            types=dict.fromkeys(groupements, Lettre.Type.INFRUCTUEUX),
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="marche_infructueux",
            contexte={"marche": marche, "atelier": marche.atelier, "lien": lien_marche(marche)},
            destinataires=courriels_porteurs(marche.atelier),
        )
    return marche


def marche_relancer(*, marche: MarcheSubsequent, par: Utilisateur, vu: str) -> MarcheSubsequent:
    """After an unsuccessful round, open the CCTP again for a new consultation, if the marché is
    still in the state `vu` its pilot saw; the earlier round, its offers and letters stay in
    the marché's history. The porteurs are told."""
    _verifier_pilote(par, marche, "prépare une nouvelle consultation")
    with transaction.atomic():
        marche = transition_appliquer(objet=marche, transition="relancer", par=par, vu=vu)
        courriel_ecrire_depuis_gabarit(
            gabarit="marche_infructueux_relance",
            contexte={"marche": marche, "atelier": marche.atelier, "lien": lien_marche(marche)},
            destinataires=courriels_porteurs(marche.atelier),
        )
    return marche
