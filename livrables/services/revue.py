"""A livrable's review: the groupement deposits versions, the pilot comments and asks for
corrections or validates, the collectivités give their avis, DGALN agrees to the livret. The
validation releases the livrable's tranche in the marché's échéancier, in its transaction."""

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from ateliers.models import Atelier, Phase
from ateliers.selectors import courriels_porteurs
from ateliers.services import ActionImpossible, journal_ecrire, transition_appliquer
from comptes.liens import lien_absolu
from comptes.models import Organisation, Utilisateur
from comptes.selectors import courriels_dgaln, courriels_membres
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.models import Document
from documents.services import document_demander, fichier_deposer
from documents.verification import Usage
from livrables.contenus import contenu_actuel, contenu_vide
from livrables.models import (
    ACCORDER,
    DEPOSER,
    REVOIR,
    Avis,
    CodeLivrable,
    Commentaire,
    Livrable,
    VersionLivrable,
)
from livrables.pdf import GABARITS
from livrables.selectors import jalons_atteints, prochain_numero
from livrables.services.droits import exiger
from marches.selectors import tranches_du_jalon
from marches.services import tranche_liberer

# The phases in which livrables are deposited and reviewed: from the cadrage to the restitution.
PHASES_DES_LIVRABLES = (
    Phase.CADRAGE,
    Phase.SESSION_1,
    Phase.SESSION_2,
    Phase.SESSION_3,
    Phase.RESTITUTION,
)


def _lien(livrable: Livrable) -> str:
    return lien_absolu("livrables:livrable", livrable.atelier_id, livrable.type)


def _courriel(
    gabarit: str, livrable: Livrable, destinataires: list[str], **contexte: object
) -> None:
    courriel_ecrire_depuis_gabarit(
        gabarit=gabarit,
        contexte={"livrable": livrable, "atelier": livrable.atelier, "lien": _lien(livrable)}
        | contexte,
        destinataires=destinataires,
    )


def _pilote(atelier: Atelier) -> list[str]:
    return courriels_membres([atelier.service_pilote_id]) if atelier.service_pilote_id else []


def _groupement(atelier: Atelier) -> list[str]:
    return courriels_membres([atelier.groupement_id]) if atelier.groupement_id else []


@transaction.atomic
def livrable_ouvrir(*, atelier: Atelier, type: str) -> Livrable:
    """The row of the atelier's livrable of this type, written once (its first dépôt, the
    demo): two users who deposit at the same moment share one row."""
    livrable = Livrable.objects.filter(atelier=atelier, type=type).first()
    if livrable is None:
        try:
            with transaction.atomic():
                livrable = Livrable.objects.create(atelier=atelier, type=type)
        except IntegrityError:
            livrable = Livrable.objects.get(atelier=atelier, type=type)
    livrable.atelier = atelier
    return livrable


def _verrouiller_version(livrable: Livrable) -> VersionLivrable:
    version = (
        VersionLivrable.objects.select_for_update()
        .filter(livrable=livrable)
        .order_by("-numero")
        .first()
    )
    if version is None:
        raise ActionImpossible("Aucune version de ce livrable n'a encore été déposée.")
    return version


def version_deposer(
    *,
    livrable: Livrable,
    par: Utilisateur,
    vu: str,
    fichier: File | None = None,
    message: str = "",
    reponses: dict[int, str] | None = None,
) -> VersionLivrable:
    """Deposit a new version: the PDF uploaded, or what is written in the portal frozen and
    rendered as a PDF after commit. After corrections, each comment sent on the previous
    version is answered; the pilot is e-mailed."""
    exiger(par, DEPOSER, livrable, "Seul le groupement titulaire dépose les livrables.")
    reponses = {pk: texte.strip() for pk, texte in (reponses or {}).items()}
    with transaction.atomic():
        atelier = livrable.atelier
        if atelier.phase not in PHASES_DES_LIVRABLES:
            raise ActionImpossible(
                f"L'atelier est à l'étape « {atelier.get_phase_display()} » : ses livrables "
                "ne se déposent pas."
            )
        livrable = livrable_ouvrir(atelier=atelier, type=livrable.type)
        livrable = Livrable.objects.select_for_update().get(pk=livrable.pk)
        livrable.atelier = atelier
        a_repondre: list[Commentaire] = []
        if livrable.statut == Livrable.Statut.CORRECTIONS_DEMANDEES:
            precedente = _verrouiller_version(livrable)
            a_repondre = list(precedente.commentaires.filter(envoye=True, repondu_dans=None))
            sans_reponse = [c for c in a_repondre if not reponses.get(c.pk)]
            if sans_reponse:
                raise ActionImpossible(
                    f"Répondez à chacun des commentaires du service pilote avant de déposer "
                    f"la nouvelle version ({len(sans_reponse)} sans réponse)."
                )
        if fichier is None:
            contenu = contenu_actuel(livrable)
            if contenu_vide(contenu):
                raise ActionImpossible(
                    "Rien n'est encore rédigé : écrivez le livrable ou déposez-le en PDF."
                )
        numero = prochain_numero(livrable)
        livrable = transition_appliquer(
            objet=livrable,
            transition="deposer",
            par=par,
            vu=vu,
            commentaire=f"Version {numero}",
        )
        livrable.atelier = atelier
        version = VersionLivrable.objects.create(
            livrable=livrable,
            numero=numero,
            mode=VersionLivrable.Mode.FICHIER if fichier else VersionLivrable.Mode.REDIGE,
            # The upload belongs to the livrable: who reads the livrable downloads it.
            fichier=fichier_deposer(
                fichier=fichier, par=par, proprietaire=livrable, usage=Usage.LIVRABLE
            )
            if fichier is not None
            else None,
            contenu={} if fichier else contenu,
            message=message.strip(),
            deposee_par=par,
        )
        if fichier is None:
            version_rendre(version=version, par=par)
        maintenant = timezone.now()
        for commentaire in a_repondre:
            commentaire.reponse = reponses[commentaire.pk]
            commentaire.repondu_le, commentaire.repondu_dans = maintenant, version
            commentaire.save(update_fields=["reponse", "repondu_le", "repondu_dans"])
        _courriel("livrable_depose", livrable, _pilote(atelier), version=version)
    return version


def version_rendre(*, version: VersionLivrable, par: Utilisateur | None) -> Document:
    """Ask the PDF of a written version (rendered once, after commit, by the pipeline)."""
    livrable = version.livrable
    return document_demander(
        source=version,
        gabarit=GABARITS[livrable.type],
        contexte="livrables.pdf.contexte_version",
        titre=f"{livrable.get_type_display()} — version {version.numero}",
        version=version.numero,
        par=par,
    )


@transaction.atomic
def commentaire_ecrire(
    *, livrable: Livrable, par: Utilisateur, texte: str, partie: str = "", page: int | None = None
) -> Commentaire:
    """The pilot notes a correction on the version under review, on one of its parts or a page
    of its PDF; the groupement reads it once the corrections are asked."""
    exiger(par, REVOIR, livrable, "Seul le service pilote relit les livrables.")
    livrable = Livrable.objects.select_for_update().select_related("atelier").get(pk=livrable.pk)
    if livrable.statut != Livrable.Statut.DEPOSE:
        raise ActionImpossible(
            f"Ce livrable est « {livrable.get_statut_display()} » : il n'y a pas de version "
            "en relecture."
        )
    version = _verrouiller_version(livrable)
    texte = texte.strip()
    if not texte:
        raise ActionImpossible("Écrivez la correction demandée.")
    cles = {p.get("cle") for p in version.contenu.get("parties", [])}
    if partie and partie not in cles:
        raise ActionImpossible("Cette partie n'existe pas dans la version déposée.")
    return Commentaire.objects.create(
        version=version, partie=partie, page=page, texte=texte, auteur=par
    )


@transaction.atomic
def commentaire_retirer(*, commentaire: Commentaire, par: Utilisateur) -> None:
    """The pilot withdraws a comment not yet sent to the groupement."""
    commentaire = (
        Commentaire.objects.select_for_update()
        .select_related("version__livrable__atelier")
        .get(pk=commentaire.pk)
    )
    if not par.has_perm(REVOIR, commentaire.version.livrable) or commentaire.auteur_id != par.pk:
        raise PermissionDenied("Seul son auteur retire un commentaire.")
    if commentaire.envoye:
        raise ActionImpossible(
            "Ce commentaire a été envoyé au groupement : il reste à l'historique."
        )
    commentaire.delete()


def corrections_demander(*, livrable: Livrable, par: Utilisateur, vu: str) -> Livrable:
    """Send the pilot's comments on the version under review to the groupement, which deposits
    a new version answering each of them."""
    exiger(par, REVOIR, livrable, "Seul le service pilote demande des corrections.")
    with transaction.atomic():
        atelier = livrable.atelier
        livrable = transition_appliquer(
            objet=livrable, transition="demander_corrections", par=par, vu=vu
        )
        livrable.atelier = atelier
        version = _verrouiller_version(livrable)
        nouveaux = version.commentaires.filter(envoye=False)
        nombre = nouveaux.count()
        if nombre == 0:
            raise ActionImpossible(
                "Écrivez au moins un commentaire avant de demander des corrections."
            )
        nouveaux.update(envoye=True)
        _courriel(
            "livrable_corrections", livrable, _groupement(atelier), version=version, nombre=nombre
        )
    return livrable


@transaction.atomic
def avis_donner(
    *, livrable: Livrable, par: Utilisateur, collectivite: Organisation, sens: str, texte: str = ""
) -> Avis:
    """A collectivité porteuse gives its avis on the version under review, once per version;
    the pilot is e-mailed. It does not block the validation."""
    exiger(
        par,
        "livrables.donner_avis_livrable",
        livrable,
        "Seules les collectivités porteuses donnent un avis.",
    )
    livrable = Livrable.objects.select_for_update().select_related("atelier").get(pk=livrable.pk)
    if (
        collectivite not in livrable.atelier.collectivites.all()
        or not par.organisations.filter(pk=collectivite.pk).exists()
    ):
        raise PermissionDenied("Vous ne parlez pas au nom de cette collectivité.")
    if livrable.statut != Livrable.Statut.DEPOSE:
        raise ActionImpossible("L'avis se donne sur une version en relecture.")
    version = _verrouiller_version(livrable)
    Avis.Sens(sens)
    if version.avis.filter(collectivite=collectivite).exists():
        raise ActionImpossible(
            f"{collectivite} a déjà donné son avis sur la version {version.numero}."
        )
    avis = Avis.objects.create(
        version=version, collectivite=collectivite, sens=sens, texte=texte.strip(), auteur=par
    )
    journal_ecrire(
        code=CodeLivrable.AVIS_DONNE,
        objet=livrable,
        atelier=livrable.atelier,
        par=par,
        libelle=f"Avis {avis.get_sens_display().lower()} de {collectivite}",
        commentaire=f"{livrable.get_type_display()}, version {version.numero}",
    )
    _courriel("livrable_avis", livrable, _pilote(livrable.atelier), avis=avis)
    return avis


@transaction.atomic
def accord_donner(*, livrable: Livrable, par: Utilisateur) -> Livrable:
    """DGALN agrees to the deposited livret: the pilot may then validate it, and it will be
    publishable at the clôture."""
    exiger(
        par, ACCORDER, livrable, "Seule la DGALN donne son accord sur le livret de capitalisation."
    )
    livrable = Livrable.objects.select_for_update().select_related("atelier").get(pk=livrable.pk)
    if livrable.statut != Livrable.Statut.DEPOSE:
        raise ActionImpossible("L'accord se donne sur une version déposée du livret.")
    if livrable.accord_dgaln_le is not None:
        raise ActionImpossible("La DGALN a déjà donné son accord sur ce livret.")
    livrable.accord_dgaln_le, livrable.accord_dgaln_par = timezone.now(), par
    livrable.save(update_fields=["accord_dgaln_le", "accord_dgaln_par"])
    journal_ecrire(
        code=CodeLivrable.ACCORD_DGALN,
        objet=livrable,
        atelier=livrable.atelier,
        par=par,
        libelle="Accord de la DGALN sur le livret de capitalisation",
    )
    _courriel("livrable_accord", livrable, _pilote(livrable.atelier))
    return livrable


def livrable_valider(*, livrable: Livrable, par: Utilisateur, vu: str) -> Livrable:
    """Validate the version under review: it becomes the livrable; the tranche tied to it in
    the marché's échéancier becomes payable (once: a second validation finds it released),
    and the groupement and the porteurs are e-mailed."""
    exiger(par, REVOIR, livrable, "Seul le service pilote valide un livrable.")
    with transaction.atomic():
        atelier = livrable.atelier
        if Livrable.objects.select_for_update().get(pk=livrable.pk).attend_accord_dgaln:
            raise ActionImpossible(
                "Le livret de capitalisation attend l'accord de la DGALN avant sa validation."
            )
        livrable = transition_appliquer(
            objet=livrable, transition="valider", par=par, vu=vu, valideur=par
        )
        Atelier.objects.select_for_update().filter(pk=atelier.pk).exists()
        livrable.atelier = atelier
        version = _verrouiller_version(livrable)
        for tranche in tranches_du_jalon(atelier.pk, jalons_atteints(livrable)):
            tranche_liberer(tranche=tranche, par=par)
        _courriel(
            "livrable_valide",
            livrable,
            [*_groupement(atelier), *courriels_porteurs(atelier)],
            version=version,
        )
        if livrable.type == "livret":
            _courriel("livrable_valide", livrable, courriels_dgaln(), version=version)
    return livrable
