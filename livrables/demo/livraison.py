"""Les livrables d'un atelier de démonstration menés par leurs rôles à travers les services :
le groupement dépose ses PDF, le service pilote commente, demande des corrections et valide,
la collectivité donne son avis, la DGALN son accord sur le livret ; puis, pour l'atelier que
son plan clôt, sa restitution tenue et sa clôture prononcée."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ateliers.models import Atelier, Phase
from ateliers.services.restitution import restitution_enregistrer
from comptes.models import Organisation
from livrables.demo.donnees import (
    AVIS,
    COMMENTAIRES,
    CORRECTIONS,
    ECHEANCIER_CLOS,
    IMAGES_LIVRET,
    MESSAGES,
    PAYEES,
    REPONSE,
    RESTITUTION_CLOSE,
    TEXTES,
    VALIDE,
    PlanLivrable,
    PlanLivraison,
)
from livrables.demo.feuille import ecrire_feuille
from livrables.models import Livrable, PartieRedigee, TypeLivrable
from livrables.selectors import livrable_de
from livrables.services import (
    accord_donner,
    atelier_cloturer,
    avis_donner,
    commentaire_ecrire,
    corrections_demander,
    livrable_ouvrir,
    livrable_valider,
    version_deposer,
)
from livrables.services.livret import livret_image_deposer, livret_partie_ecrire
from marches.demo.execution import ouvrir, payer
from marches.demo.outils import compte_de, pdf_demo, photo_demo
from marches.models import Execution, Tranche


def livrer(atelier: Atelier, plan: PlanLivraison) -> None:
    """The atelier's livrables as far as its plan goes, then its clôture if the plan says so."""
    pilote = compte_de(atelier.service_pilote, "pilote", "Yves", "Chef de service")
    groupement = compte_de(atelier.groupement, "groupement", "Romane", "Cheffe de projet")
    porteur = compte_de(
        atelier.collectivites.order_by("pk").first(), "porteur", "Camille", "Chargée de mission"
    )
    if plan.cloturer:
        ouvrir_l_execution(atelier, pilote)
    for type, livrable in plan.livrables.items():
        livrer_un(atelier, type, livrable, pilote=pilote, groupement=groupement, porteur=porteur)
    for type, parties in plan.brouillons.items():
        if type == TypeLivrable.LIVRET:
            rediger(atelier, type, [(cle, texte) for cle, _, texte in parties], groupement)
        else:
            ecrire(atelier, type, parties)
    if plan.cloturer:
        cloturer(atelier, pilote)


def _pdf(atelier: Atelier, type: str, numero: int) -> SimpleUploadedFile:
    titre = TypeLivrable(type).label
    return SimpleUploadedFile(
        f"{type}_v{numero}.pdf",
        pdf_demo(f"{titre} — {atelier.intitule} — version {numero}"),
        content_type="application/pdf",
    )


def _livrable(atelier: Atelier, type: str) -> Livrable:
    return livrable_de(Atelier.objects.get(pk=atelier.pk), type)


def livrer_un(atelier, type, plan: PlanLivrable, *, pilote, groupement, porteur) -> None:
    """One livrable deposited as a PDF; corrected once if its plan says so; then left under
    review, sent back with comments, or validated (DGALN's agreement first for the livret)."""
    livrable = _livrable(atelier, type)
    if plan.redige and type == TypeLivrable.FEUILLE_ROUTE:
        ecrire_feuille(atelier, groupement)
        livrable = _livrable(atelier, type)
    elif plan.redige:
        images = IMAGES_LIVRET if type == TypeLivrable.LIVRET else ()
        rediger(atelier, type, TEXTES[type], groupement, images=images)
        livrable = _livrable(atelier, type)
    version_deposer(
        livrable=livrable,
        par=groupement,
        vu=livrable.statut,
        fichier=None if plan.redige else _pdf(atelier, type, 1),
        message=MESSAGES[1],
    )
    if plan.corrige or plan.jusqua == CORRECTIONS:
        livrable = _livrable(atelier, type)
        commentaires = [
            commentaire_ecrire(livrable=livrable, par=pilote, texte=texte, page=page)
            for page, texte in COMMENTAIRES
        ]
        corrections_demander(livrable=livrable, par=pilote, vu=Livrable.Statut.DEPOSE)
        if plan.jusqua == CORRECTIONS:
            return
        livrable = _livrable(atelier, type)
        version_deposer(
            livrable=livrable,
            par=groupement,
            vu=livrable.statut,
            fichier=None if plan.redige else _pdf(atelier, type, 2),
            message=MESSAGES[2],
            reponses={c.pk: REPONSE for c in commentaires},
        )
    livrable = _livrable(atelier, type)
    if plan.avis:
        avis_donner(
            livrable=livrable,
            par=porteur,
            collectivite=atelier.collectivites.order_by("pk").first(),
            sens=plan.avis,
            texte=AVIS[plan.avis],
        )
    if plan.jusqua != VALIDE:
        return
    if type == TypeLivrable.LIVRET:
        dgaln = Organisation.objects.get(nom="DGALN — bureau AD1")
        agent = compte_de(dgaln, "dgaln", "Jules", "Chargé de mission")
        accord_donner(livrable=livrable, par=agent)
        livrable = _livrable(atelier, type)
    livrable_valider(livrable=livrable, par=pilote, vu=Livrable.Statut.DEPOSE)
    for tranche in Tranche.objects.filter(
        execution__marche__atelier=atelier, statut=Tranche.Statut.EXIGIBLE, jalon__in=PAYEES
    ):
        payer(tranche, pilote, liberer=False)


def rediger(
    atelier: Atelier, type: str, textes: list[tuple[str, str]], groupement, *, images=()
) -> None:
    """The groupement writes its parts of the livret in the portal, and places its images,
    through its services."""
    territoire = atelier.intitule.split(" : ")[0]
    for cle, texte in textes:
        livret_partie_ecrire(
            livrable=_livrable(atelier, type),
            par=groupement,
            cle=cle,
            texte=texte.format(territoire=territoire),
        )
    for rang, (partie, alternative, legende) in enumerate(images, start=1):
        livret_image_deposer(
            livrable=_livrable(atelier, type),
            par=groupement,
            fichier=SimpleUploadedFile(
                f"livret-{partie}.jpg", photo_demo(atelier.pk * 100 + rang), "image/jpeg"
            ),
            partie=partie,
            texte_alternatif=alternative,
            legende=legende,
        )


def ecrire(atelier: Atelier, type: str, parties: list[tuple[str, str, str]]) -> None:
    """The groupement's draft of a livrable written in the portal, not deposited yet."""
    livrable = livrable_ouvrir(atelier=atelier, type=type)
    for ordre, (cle, titre, texte) in enumerate(parties, start=1):
        PartieRedigee.objects.get_or_create(
            livrable=livrable, cle=cle, defaults={"titre": titre, "ordre": ordre, "texte": texte}
        )


def ouvrir_l_execution(atelier: Atelier, pilote) -> Execution:
    """The money of the atelier that the demo closes, by livrable: its avance paid at once,
    its sessions' tranches left out (its sessions were held before the portal kept money)."""
    marche = atelier.marches.get(statut="notifie")
    existante = Execution.objects.filter(marche=marche).first()
    if existante is not None:
        return existante
    execution = ouvrir(marche, pilote, ECHEANCIER_CLOS, numero_ej="2104560061", duree_mois=15)
    for tranche in execution.tranches.filter(statut=Tranche.Statut.EXIGIBLE):
        payer(tranche, pilote, liberer=False)
    return execution


def cloturer(atelier: Atelier, pilote) -> None:
    """The restitution held ten days ago and recorded, then the clôture by the pilot."""
    atelier = Atelier.objects.get(pk=atelier.pk)
    territoire = atelier.intitule.split(" : ")[0]
    restitution_enregistrer(
        atelier=atelier,
        par=pilote,
        valeurs={
            **RESTITUTION_CLOSE,
            "compte_rendu": RESTITUTION_CLOSE["compte_rendu"].format(territoire=territoire),
            "date": timezone.now() - datetime.timedelta(days=10),
        },
    )
    atelier_cloturer(
        atelier=atelier,
        par=pilote,
        vu=Phase.RESTITUTION,
        commentaire="Restitution tenue, les cinq livrables validés.",
    )
