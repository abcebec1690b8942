"""What the groupement writes in the livret de capitalisation between two dépôts: its texts
(éditorial, témoignages, enseignements, perspectives) and its images, each with its text
alternative. The rest of the livret is assembled by the portal (livrables.selectors.livret)."""

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ateliers.services import ActionImpossible, journal_ecrire
from comptes.models import Utilisateur
from documents.services import fichier_deposer
from documents.verification import Usage
from livrables.models import (
    DEPOSER,
    CodeLivrable,
    ImageLivret,
    Livrable,
    PartieRedigee,
    TypeLivrable,
)
from livrables.selectors.livret import PARTIES_DU_LIVRET
from livrables.services.droits import exiger
from livrables.services.revue import PHASES_DES_LIVRABLES, livrable_ouvrir

TITRES = dict(PARTIES_DU_LIVRET)
# The livret is written while no version waits for the pilot's review, and until it is validated.
EN_REDACTION = (Livrable.Statut.ATTENDU, Livrable.Statut.CORRECTIONS_DEMANDEES)


def _livret_a_modifier(livrable: Livrable, par: Utilisateur) -> Livrable:
    """The livret's row, locked, once `par` may write it and it is still being written."""
    if livrable.type != TypeLivrable.LIVRET:
        raise ActionImpossible("Ce livrable n'est pas le livret de capitalisation.")
    exiger(
        par, DEPOSER, livrable, "Seul le groupement titulaire rédige le livret de capitalisation."
    )
    atelier = livrable.atelier
    if atelier.phase not in PHASES_DES_LIVRABLES:
        raise ActionImpossible(
            f"L'atelier est à l'étape « {atelier.get_phase_display()} » : son livret ne se "
            "rédige pas."
        )
    livrable = livrable_ouvrir(atelier=atelier, type=TypeLivrable.LIVRET)
    livrable = Livrable.objects.select_for_update().get(pk=livrable.pk)
    livrable.atelier = atelier
    if livrable.statut not in EN_REDACTION:
        raise ActionImpossible(
            f"Le livret est « {livrable.get_statut_display()} » : il ne se modifie plus "
            "tant que le service pilote ne demande pas de corrections."
        )
    return livrable


def _journal(livrable: Livrable, par: Utilisateur, libelle: str) -> None:
    journal_ecrire(
        code=CodeLivrable.REDACTION_MODIFIEE,
        objet=livrable,
        atelier=livrable.atelier,
        par=par,
        libelle=libelle,
    )


@transaction.atomic
def livret_partie_ecrire(
    *, livrable: Livrable, par: Utilisateur, cle: str, texte: str
) -> PartieRedigee:
    """Write one of the groupement's parts of the livret; the next dépôt freezes it."""
    if cle not in TITRES:
        raise ActionImpossible("Cette partie n'existe pas dans le livret.")
    livrable = _livret_a_modifier(livrable, par)
    ordre = [c for c, _ in PARTIES_DU_LIVRET].index(cle) + 1
    partie, _ = PartieRedigee.objects.get_or_create(
        livrable=livrable, cle=cle, defaults={"titre": TITRES[cle], "ordre": ordre}
    )
    partie.texte = texte.strip()
    partie.modifie_le, partie.modifie_par = timezone.now(), par
    partie.save(update_fields=["texte", "modifie_le", "modifie_par"])
    _journal(livrable, par, f"Livret de capitalisation : « {partie.titre} » modifié")
    return partie


@transaction.atomic
def livret_image_deposer(
    *,
    livrable: Livrable,
    par: Utilisateur,
    fichier: File,
    partie: str,
    texte_alternatif: str,
    legende: str = "",
) -> ImageLivret:
    """Place a JPEG or PNG image, once its content is checked, in one part of the livret, with
    what it shows for who does not see it (the tagged PDF prints it as its alternative)."""
    if partie not in TITRES:
        raise ActionImpossible("Cette partie n'existe pas dans le livret.")
    if not texte_alternatif.strip():
        raise ActionImpossible(
            "Décrivez ce que montre l'image : le livret l'imprime pour qui ne la voit pas."
        )
    livrable = _livret_a_modifier(livrable, par)
    image = ImageLivret.objects.create(
        livrable=livrable,
        fichier=fichier_deposer(
            fichier=fichier, par=par, proprietaire=livrable, usage=Usage.IMAGE_LIVRET
        ),
        partie=partie,
        legende=legende.strip(),
        texte_alternatif=texte_alternatif.strip(),
        deposee_par=par,
    )
    _journal(livrable, par, f"Livret de capitalisation : image « {image} » ajoutée")
    return image


@transaction.atomic
def livret_image_retirer(*, image: ImageLivret, par: Utilisateur) -> ImageLivret:
    """Take an image out of the livret; its file stays for the versions that printed it."""
    livrable = _livret_a_modifier(image.livrable, par)
    image = ImageLivret.objects.select_for_update().get(pk=image.pk, livrable=livrable)
    if image.retiree_le is not None:
        raise ActionImpossible("Cette image a déjà été retirée du livret.")
    image.retiree_le = timezone.now()
    image.save(update_fields=["retiree_le"])
    _journal(livrable, par, f"Livret de capitalisation : image « {image} » retirée")
    return image
