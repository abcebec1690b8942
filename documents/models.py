"""Files in and out: uploaded files, checked by their content, and PDFs rendered by the pipeline.

This app knows no other app of the portal: a file or a document points at what it belongs to
through a generic link, and permissions on it are those of that object.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


def stockage_documents():
    """Generated PDFs are written under a fixed name per document and version: a retry
    overwrites the same file instead of leaving a second one beside it."""
    return FileSystemStorage(allow_overwrite=True)


# Uploaded files live under this folder of the default storage, two levels deep.
DOSSIER_FICHIERS = "fichiers"


def chemin_fichier_depose(instance, nom):
    """A random name, never the user's: the original name is kept in the database only."""
    return f"{DOSSIER_FICHIERS}/{instance.uuid.hex[:2]}/{instance.uuid.hex}{instance.extension}"


def chemin_document(instance, nom):
    return f"documents/{instance.uuid.hex[:2]}/{instance.uuid.hex}.pdf"


class FichierDeposeQuerySet(models.QuerySet):
    def a_effacer(self, avant):
        """Files withdrawn before `avant` whose bytes are still stored."""
        return self.filter(retire_le__lt=avant).exclude(fichier="")


class FichierDepose(models.Model):
    """A file uploaded by a user, accepted only after its content was checked."""

    class Analyse(models.TextChoices):
        NON_DEMANDEE = "non_demandee", "Pas d'analyse antivirus"
        EN_COURS = "en_cours", "En cours d'analyse"
        SAIN = "sain", "Sain"
        INFECTE = "infecte", "Refusé : virus détecté"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fichier = models.FileField("fichier", upload_to=chemin_fichier_depose, max_length=200)
    nom_original = models.CharField("nom d'origine", max_length=255)
    extension = models.CharField("extension", max_length=10)
    taille = models.PositiveBigIntegerField("taille en octets")
    type_contenu = models.CharField("type de contenu", max_length=100)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, db_index=True)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    depose_le = models.DateTimeField("déposé le", default=timezone.now)
    proprietaire_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A file not attached to anything yet: GenericForeignKey writes None, not "".
    proprietaire_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    proprietaire = GenericForeignKey("proprietaire_type", "proprietaire_id")
    analyse = FSMField(
        "analyse antivirus",
        max_length=20,
        choices=Analyse.choices,
        default=Analyse.NON_DEMANDEE,
        protected=True,
    )
    analyse_le = models.DateTimeField("analysé le", null=True, blank=True)
    analyse_resultat = models.CharField("résultat de l'analyse", max_length=255, blank=True)
    retire_le = models.DateTimeField(
        "retiré le",
        null=True,
        blank=True,
        help_text="Remplacé ou retiré par son propriétaire : il n'est plus servi, et son contenu "
        "est effacé après le délai de grâce (DOCUMENTS_FICHIERS_RETIRES_JOURS).",
    )

    objects = FichierDeposeQuerySet.as_manager()

    class Meta:
        verbose_name = "fichier déposé"
        verbose_name_plural = "fichiers déposés"
        ordering = ["-depose_le"]
        indexes = [
            models.Index(
                fields=["proprietaire_type", "proprietaire_id"], name="fichier_proprietaire"
            )
        ]

    def __str__(self):
        return self.nom_original

    @property
    def disponible(self):
        """May be downloaded: not withdrawn, not waiting for nor refused by the antivirus."""
        return self.retire_le is None and self.analyse in (
            self.Analyse.NON_DEMANDEE,
            self.Analyse.SAIN,
        )

    def retirer(self):
        """Its owner no longer uses it (replaced, withdrawn): never served from now on."""
        self.retire_le = self.retire_le or timezone.now()

    @transition(field=analyse, source=Analyse.NON_DEMANDEE, target=Analyse.EN_COURS)
    def soumettre_a_l_analyse(self):
        """The antivirus is on: the file waits for its verdict before anyone may download it."""

    @transition(field=analyse, source=Analyse.EN_COURS, target=Analyse.SAIN)
    def declarer_sain(self, *, resultat=""):
        """The antivirus found nothing."""
        self.analyse_le, self.analyse_resultat = timezone.now(), resultat

    @transition(field=analyse, source=Analyse.EN_COURS, target=Analyse.INFECTE)
    def declarer_infecte(self, *, resultat):
        """The antivirus found a threat: the file is never served."""
        self.analyse_le, self.analyse_resultat = timezone.now(), resultat


class DocumentQuerySet(models.QuerySet):
    def bloques(self, depuis):
        """Renders started before `depuis` and never finished: their worker was lost."""
        return self.filter(statut=Document.Statut.EN_COURS, commence_le__lt=depuis)

    def oublies(self, depuis):
        """Renders asked for before `depuis` and never started: their queue message was lost."""
        return self.filter(statut=Document.Statut.DEMANDE, demande_le__lt=depuis)


class Document(ConcurrentTransitionMixin, models.Model):
    """A PDF rendered from a template for one version of its source object, exactly once."""

    class Statut(models.TextChoices):
        DEMANDE = "demande", "En file d'attente"
        EN_COURS = "en_cours", "En cours"
        PRET = "pret", "Prêt"
        ECHEC = "echec", "Échec"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.CharField(max_length=64)
    source = GenericForeignKey("source_type", "source_id")
    gabarit = models.CharField("gabarit", max_length=200)
    # The app that asks for the document names the function that reads what its template
    # prints (ADR 0013); empty only on rows older than that, which are no longer rendered.
    contexte = models.CharField(
        "fonction de contexte",
        max_length=200,
        blank=True,
        help_text="Chemin pointé d'une fonction d'un module « pdf » d'une application du portail.",
    )
    titre = models.CharField("titre", max_length=255)
    version_source = models.CharField("version de la source", max_length=64)
    statut = FSMField(
        "statut", max_length=20, choices=Statut.choices, default=Statut.DEMANDE, protected=True
    )
    fichier = models.FileField(
        "fichier",
        storage=stockage_documents,
        upload_to=chemin_document,
        blank=True,
        max_length=200,
    )
    taille = models.PositiveBigIntegerField("taille en octets", null=True, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    nombre_pages = models.PositiveIntegerField("nombre de pages", null=True, blank=True)
    duree_rendu = models.FloatField("durée du rendu (s)", null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    erreur = models.TextField("dernière erreur", blank=True)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    demande_le = models.DateTimeField("demandé le", default=timezone.now)
    commence_le = models.DateTimeField("rendu commencé le", null=True, blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document produit"
        verbose_name_plural = "documents produits"
        ordering = ["-demande_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "gabarit", "version_source"],
                name="document_unique_par_version",
            )
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="document_source")]

    def __str__(self):
        return self.titre

    @property
    def nom_telechargement(self):
        return f"{self.titre}.pdf"

    @transition(field=statut, source=[Statut.DEMANDE, Statut.EN_COURS], target=Statut.EN_COURS)
    def commencer(self):
        """A worker takes the render; from EN_COURS too, when a lost worker's task comes back."""
        self.commence_le = timezone.now()
        self.tentatives += 1

    @transition(field=statut, source=Statut.EN_COURS, target=Statut.PRET)
    def terminer(self, *, taille, sha256, nombre_pages, duree_rendu):
        """The PDF is stored; its figures are kept with it."""
        self.taille, self.sha256 = taille, sha256
        self.nombre_pages, self.duree_rendu = nombre_pages, duree_rendu
        self.termine_le, self.erreur = timezone.now(), ""

    @transition(field=statut, source=Statut.EN_COURS, target=Statut.ECHEC)
    def echouer(self, *, erreur):
        """The render failed for good (retries exhausted): the user may ask again."""
        self.erreur, self.termine_le = erreur[:5000], timezone.now()

    @transition(field=statut, source=Statut.EN_COURS, target=Statut.DEMANDE)
    def remettre_en_file(self):
        """A render stuck too long (lost worker) goes back to the queue."""

    @transition(field=statut, source=Statut.ECHEC, target=Statut.DEMANDE)
    def relancer(self):
        """The user asks again after a failure."""
        self.erreur, self.termine_le, self.tentatives = "", None, 0


class AnnexeDocument(models.Model):
    """A stored file embedded in a document (a PDF/A-3 associated file), in `rang` order."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annexes")
    fichier = models.ForeignKey(
        FichierDepose, verbose_name="fichier", on_delete=models.PROTECT, related_name="+"
    )
    titre = models.CharField("titre", max_length=255)
    rang = models.PositiveSmallIntegerField("rang")

    class Meta:
        verbose_name = "annexe d'un document"
        verbose_name_plural = "annexes des documents"
        ordering = ["rang"]
        constraints = [
            models.UniqueConstraint(fields=["document", "rang"], name="annexe_unique_par_rang")
        ]

    def __str__(self):
        return self.titre
