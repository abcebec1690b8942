import factory

from ateliers.models import Atelier, Phase
from tests.comptes.factories import OrganisationFactory
from tests.territoires.factories import DepartementFactory


class AtelierFactory(factory.django.DjangoModelFactory):
    """An atelier placed directly in a phase; only tests may skip the transitions."""

    class Meta:
        model = Atelier
        skip_postgeneration_save = True

    intitule = factory.Sequence(lambda n: f"Stratégie territoriale {n}")
    phase = Phase.PRE_CANDIDATURE
    service_pilote = factory.SubFactory(OrganisationFactory, ddt=True)

    class Params:
        sorti = factory.Trait(phase_avant_sortie=Phase.INSTRUCTION, motif_sortie="Motif d'essai")

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        self.departements.set(
            extracted or [self.service_pilote.departement or DepartementFactory()]
        )

    @factory.post_generation
    def collectivites(self, create, extracted, **kwargs):
        if extracted:
            self.collectivites.set(extracted)
