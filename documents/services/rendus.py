"""PDF renders: ask for a document, render it exactly once, give it up, recover lost renders.

The Celery tasks (documents.tasks.rendus) only call these functions; retries, time limits and
acknowledgements are declared there.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django_fsm import ConcurrentTransition, can_proceed

from config.celery import publier_sans_attendre
from documents.models import AnnexeDocument, Document, FichierDepose
from documents.rendu import PieceJointe, collecteur_en_pause, rendre

if TYPE_CHECKING:
    from comptes.models import Utilisateur

__all__ = [
    "RENDU_DEMARRAGES_MAX",
    "RenduImpossible",
    "document_demander",
    "document_echouer",
    "document_relancer",
    "document_rendre",
    "rendus_bloques_relancer",
]

logger = logging.getLogger(__name__)

# A render may start this many times (task retries and lost workers re-queued together). Past
# that it is given up: a template that kills its worker must end in ECHEC, not go round between
# the queue and the stuck-render job for ever.
RENDU_DEMARRAGES_MAX = 5


class RenduImpossible(Exception):
    """A render that no retry can fix (its source object is gone, its context unknown)."""


# What the renderer itself gives every template, beside what the context function returns.
CLES_DU_RENDU = frozenset({"document", "annexes"})


def _fonction_de_contexte(chemin: str) -> Callable[[Any], dict[str, Any]]:
    """The function at `chemin`, if it is a public function of the `pdf` module of an
    installed app: a path read from the database must not import anything else."""
    module, _, nom = chemin.rpartition(".")
    modules_pdf = {f"{app.name}.pdf" for app in apps.get_app_configs()}
    if module not in modules_pdf or not nom.isidentifier() or nom.startswith("_"):
        raise ValueError(
            f"Fonction de contexte refusée : « {chemin} » n'est pas une fonction du module "
            "« pdf » d'une application installée."
        )
    fonction = import_string(chemin)
    if not callable(fonction):
        raise ValueError(f"Fonction de contexte refusée : « {chemin} » n'est pas une fonction.")
    return fonction


def _mettre_en_file(document_id: int) -> None:
    # Imported here: the tasks module imports this one.
    from documents.tasks.rendus import document_rendre as tache_rendre

    publier_sans_attendre(tache_rendre, [{"document_id": document_id}])


def document_demander(
    *,
    source: models.Model,
    gabarit: str,
    contexte: str,
    titre: str,
    version: str | int,
    par: "Utilisateur | None",
    annexes: Iterable[FichierDepose | tuple[str, FichierDepose]] = (),
) -> Document:
    """The Document of this source version and template; only a new one is queued, after commit.

    `contexte` is the dotted path of the function, in the `pdf` module of the asking app, that
    reads from the source everything the template prints (ADR 0013). `annexes` are stored
    files (FichierDepose) embedded in the PDF as associated files, in that order, each
    described by its original name, or `(titre, fichier)` pairs to describe it; the template
    lists them (`annexes`). They are kept with a new document only (a version's annexes never
    change).
    """
    _fonction_de_contexte(contexte)  # a wrong path fails here, in the request, not in a worker
    with transaction.atomic():
        document, cree = Document.objects.get_or_create(
            source_type=ContentType.objects.get_for_model(source),
            source_id=str(source.pk),
            gabarit=gabarit,
            version_source=str(version),
            defaults={"titre": titre[:255], "demande_par": par, "contexte": contexte},
        )
        if cree:
            AnnexeDocument.objects.bulk_create(
                AnnexeDocument(document=document, fichier=fichier, titre=nom[:255], rang=rang)
                for rang, (nom, fichier) in enumerate(_nommer(annexes), start=1)
            )
            # robust: a broker that is down, or an in-process render that failed, must not
            # turn the request that asked for the PDF into an error page after its commit.
            transaction.on_commit(lambda: _mettre_en_file(document.pk), robust=True)
    return document


def _nommer(
    annexes: Iterable[FichierDepose | tuple[str, FichierDepose]],
) -> Iterator[tuple[str, FichierDepose]]:
    for annexe in annexes:
        yield annexe if isinstance(annexe, tuple) else (annexe.nom_original, annexe)


def _annexes(document: Document) -> tuple[list[PieceJointe], list[dict[str, Any]]]:
    """Each annex to embed, in order, and what the template lists of it, in one query; an
    annex no longer downloadable (refused by the antivirus, deleted) makes the render
    impossible rather than silently incomplete."""
    pieces, lignes = [], []
    for annexe in document.annexes.select_related("fichier"):
        fichier = annexe.fichier
        if not fichier.disponible or not fichier.fichier:
            raise RenduImpossible(f"L'annexe « {annexe.titre} » n'est pas disponible.")
        with fichier.fichier.open("rb") as flux:
            pieces.append(
                PieceJointe(nom=fichier.nom_original, description=annexe.titre, contenu=flux.read())
            )
        lignes.append(
            {
                "titre": annexe.titre,
                "nom": fichier.nom_original,
                "extension": fichier.extension,
                "taille": fichier.taille,
            }
        )
    return pieces, lignes


def _contexte(document: Document, source: models.Model) -> dict[str, Any]:
    """What the template prints: what the app's context function reads from the source, and
    the document's own title, date and annexes (added by the caller)."""
    if not document.contexte:
        raise RenduImpossible(
            f"Le document n° {document.pk} (« {document.gabarit} ») ne nomme pas de fonction "
            "de contexte : il a été demandé avant qu'elles existent, demandez-le à nouveau."
        )
    try:
        fonction = _fonction_de_contexte(document.contexte)
    except (ValueError, ImportError) as exc:
        raise RenduImpossible(str(exc)) from exc
    contexte = fonction(source)
    if not isinstance(contexte, dict) or CLES_DU_RENDU & contexte.keys():
        raise RenduImpossible(
            f"La fonction de contexte « {document.contexte} » doit rendre un dictionnaire "
            f"sans les clés {', '.join(sorted(CLES_DU_RENDU))}."
        )
    return contexte


@transaction.atomic
def document_relancer(*, document: Document, par: "Utilisateur | None") -> Document:
    """Ask again for a failed render (ECHEC → DEMANDE), queued after commit."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    document.relancer()
    document.demande_par, document.demande_le = par, timezone.now()
    document.save()
    transaction.on_commit(lambda: _mettre_en_file(document.pk), robust=True)
    return document


def _commencer(document_id: int) -> Document | None:
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            logger.warning("Document %s introuvable : rendu ignoré.", document_id)
            return None
        if not can_proceed(document.commencer):
            logger.info(
                "Document %s déjà « %s » : rendu ignoré.",
                document_id,
                document.get_statut_display(),
            )
            return None
        document.commencer()
        if document.tentatives > RENDU_DEMARRAGES_MAX:
            document.echouer(
                erreur=f"Rendu abandonné : commencé {RENDU_DEMARRAGES_MAX} fois sans aboutir "
                "(processus de rendu interrompu ou délai dépassé)."
            )
        try:
            document.save()
        except ConcurrentTransition:
            logger.info("Document %s pris par un autre worker : rendu ignoré.", document_id)
            return None
    if document.statut == Document.Statut.ECHEC:
        logger.error("Document %s : %s", document_id, document.erreur)
        return None
    return document


def _terminer(
    document_id: int, pdf: bytes, *, nombre_pages: int, duree_rendu: float
) -> Document | None:
    sha256 = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.statut != Document.Statut.EN_COURS:
            logger.info(
                "Document %s déjà « %s » : ce rendu concurrent est écarté.",
                document_id,
                document.get_statut_display(),
            )
            return None
        # Written under the row lock: of two workers that raced, only the one that marks the
        # document PRET writes the file, so the file always matches the recorded SHA-256. The
        # name comes from upload_to and the storage overwrites: a retry leaves one file.
        document.fichier.save(f"{document.uuid.hex}.pdf", ContentFile(pdf), save=False)
        document.terminer(
            taille=len(pdf), sha256=sha256, nombre_pages=nombre_pages, duree_rendu=duree_rendu
        )
        try:
            document.save()
        except ConcurrentTransition:
            logger.info("Document %s terminé par un autre worker.", document_id)
            return None
    return document


def document_rendre(*, document_id: int) -> Document | None:
    """Render and store the PDF, its annexes embedded in it, then mark it PRET; None, and no
    change, if done or taken."""
    document = _commencer(document_id)
    if document is None:
        return None
    source = document.source
    if source is None:
        raise RenduImpossible(
            f"L'objet source ({document.source_type} n° {document.source_id}) n'existe plus."
        )
    # The collector stays off from the context to the PDF, not only for WeasyPrint's part: the
    # template of a livret allocates its share of short-lived objects too.
    with collecteur_en_pause():
        contexte = _contexte(document, source)
        pieces, annexes = _annexes(document)
        debut = time.perf_counter()
        imprime = {
            "titre": document.titre,
            "demande_le": document.demande_le,
            "version_source": document.version_source,
        }
        html = render_to_string(
            document.gabarit, {**contexte, "document": imprime, "annexes": annexes}
        )
        pdf = rendre(html, titre=document.titre, pieces_jointes=pieces)
        del html
    duree_rendu = round(time.perf_counter() - debut, 3)
    return _terminer(
        document_id, pdf.contenu, nombre_pages=pdf.nombre_pages, duree_rendu=duree_rendu
    )


@transaction.atomic
def document_echouer(*, document_id: int, erreur: str) -> Document | None:
    """Give the render up for good: ECHEC with its error, logged; None if PRET or ECHEC."""
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None or document.statut in (Document.Statut.PRET, Document.Statut.ECHEC):
        return None
    if document.statut == Document.Statut.DEMANDE:
        # The task failed before it could start the render: that attempt counts too, and the
        # document must still end in ECHEC rather than wait in the queue for nothing.
        document.commencer()
    document.echouer(erreur=erreur)
    document.save()
    logger.error(
        "Rendu du document %s (« %s ») en échec après %d tentative(s) : %s",
        document.pk,
        document.titre,
        document.tentatives,
        erreur,
    )
    return document


def rendus_bloques_relancer() -> int:
    """Re-queue after commit the renders EN_COURS for too long (lost worker) and those still
    DEMANDE (lost queue message: broker down at commit time); their count.

    A render queued twice is harmless: the second run finds it started or ready and stops.
    """
    depuis = timezone.now() - timedelta(minutes=settings.DOCUMENTS_RENDU_BLOQUE_MINUTES)
    nombre = 0
    for document_id in Document.objects.oublies(depuis).values_list("pk", flat=True):
        logger.warning("Rendu du document %s jamais commencé : remis en file.", document_id)
        transaction.on_commit(partial(_mettre_en_file, document_id), robust=True)
        nombre += 1
    for document_id in list(Document.objects.bloques(depuis).values_list("pk", flat=True)):
        with transaction.atomic():
            document = (
                Document.objects.select_for_update().bloques(depuis).filter(pk=document_id).first()
            )
            if document is None:
                continue
            document.remettre_en_file()
            try:
                document.save()
            except ConcurrentTransition:
                continue
            transaction.on_commit(partial(_mettre_en_file, document_id), robust=True)
        logger.warning(
            "Rendu du document %s bloqué depuis %s : remis en file.",
            document_id,
            timezone.localtime(document.commence_le).isoformat(timespec="seconds"),
        )
        nombre += 1
    return nombre
