import factory

from territoires.models import EPCI, Departement, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n % 100:02d}")
    nom = factory.Sequence(lambda n: f"Région {n}")


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n % 100:02d}")
    nom = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class EPCIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EPCI
        skip_postgeneration_save = True

    siren = factory.Sequence(lambda n: f"{200000000 + n}")
    nom = factory.Sequence(lambda n: f"Communauté de communes {n}")
    nature = EPCI.Nature.COMMUNAUTE_COMMUNES
    departement = factory.SubFactory(DepartementFactory)
    nombre_communes = 12

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        """Covers its main département, as every EPCI of the referential does."""
        self.departements.set(extracted or [self.departement])
