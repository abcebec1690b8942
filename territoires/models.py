"""The French administrative referential: régions, départements and EPCI.

Loaded from the trimmed extract of @etalab/decoupage-administratif (see data/SOURCE.md) by
`manage.py charger_referentiels`; identified by their official codes so a reload updates in place.
"""

from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, related_name="departements"
    )

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class EPCI(models.Model):
    class Nature(models.TextChoices):
        METROPOLE = "MET", "Métropole"
        COMMUNAUTE_URBAINE = "CU", "Communauté urbaine"
        COMMUNAUTE_AGGLOMERATION = "CA", "Communauté d'agglomération"
        COMMUNAUTE_COMMUNES = "CC", "Communauté de communes"
        ETABLISSEMENT_TERRITORIAL = "EPT", "Établissement public territorial"
        AUTRE = "AUTRE", "Autre"

    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField("nom", max_length=200)
    nature = models.CharField("nature", max_length=5, choices=Nature.choices)
    departement = models.ForeignKey(
        Departement,
        verbose_name="département principal",
        help_text="Le département où se trouvent le plus grand nombre de ses communes.",
        on_delete=models.PROTECT,
        related_name="epcis",
    )
    departements = models.ManyToManyField(
        Departement, verbose_name="départements couverts", related_name="epcis_couvrants"
    )
    nombre_communes = models.PositiveIntegerField("nombre de communes membres")
    population = models.PositiveIntegerField("population totale", null=True, blank=True)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self):
        return self.nom
