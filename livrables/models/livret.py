"""The groupement's images of the livret de capitalisation: each a checked JPEG or PNG owned by
the livrable, with its caption and its text alternative, placed in one of the livret's parts."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from comptes.validators import valider_une_seule_ligne
from livrables.models.livrable import Livrable

# The groupement's own parts of the livret, in the order the livret prints them.
PARTIES_DU_LIVRET: tuple[tuple[str, str], ...] = (
    ("edito", "Éditorial"),
    ("temoignages", "Témoignages"),
    ("enseignements", "Enseignements"),
    ("perspectives", "Perspectives"),
)


class ImageLivretQuerySet(models.QuerySet):
    def en_usage(self):
        """The images the livret still prints: not withdrawn by the groupement."""
        return self.filter(retiree_le__isnull=True)


class ImageLivret(models.Model):
    """One image of the livret. Withdrawing it keeps its file: a deposited version that
    printed it still names it by its uuid."""

    livrable = models.ForeignKey(Livrable, on_delete=models.PROTECT, related_name="images")
    fichier = models.ForeignKey(
        "documents.FichierDepose",
        verbose_name="image",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The key of the PartieRedigee it illustrates (« edito », « temoignages »…).
    partie = models.SlugField("partie", max_length=64, choices=PARTIES_DU_LIVRET)
    legende = models.CharField(
        "légende", max_length=200, blank=True, validators=[valider_une_seule_ligne]
    )
    texte_alternatif = models.CharField(
        "texte alternatif",
        max_length=300,
        validators=[valider_une_seule_ligne],
        help_text="Ce que montre l'image, pour qui ne la voit pas.",
    )
    deposee_le = models.DateTimeField("déposée le", default=timezone.now)
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    retiree_le = models.DateTimeField("retirée le", null=True, blank=True)

    objects = ImageLivretQuerySet.as_manager()

    class Meta:
        verbose_name = "image du livret"
        verbose_name_plural = "images du livret"
        ordering = ["livrable", "deposee_le", "pk"]

    def __str__(self):
        return self.legende or self.texte_alternatif
