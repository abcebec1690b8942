import factory

from comptes.models import Adhesion, Organisation, Utilisateur
from tests.territoires.factories import DepartementFactory, RegionFactory

MOT_DE_PASSE = "motdepasse-de-test-e2e"


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    prenom = factory.Iterator(["Lou", "Sacha", "Noa", "Maël", "Alix"])
    nom = factory.Sequence(lambda n: f"Essai{n}")
    password = factory.django.Password(MOT_DE_PASSE)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        for organisation in extracted or ():
            Adhesion.objects.create(utilisateur=self, organisation=organisation)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    nom = factory.Sequence(lambda n: f"Organisation {n}")
    type = Organisation.Type.EPCI
    # Unique, and apart from the referential's (EPCIFactory: 2000000nn): a dépôt matches the
    # note's porteurs to the portal's collectivités by SIREN.
    siren = factory.Sequence(lambda n: f"1{n:08d}")
    departement = factory.SubFactory(DepartementFactory)

    class Params:
        ddt = factory.Trait(type=Organisation.Type.DDT, nom=factory.Sequence(lambda n: f"DDT {n}"))
        dreal = factory.Trait(
            type=Organisation.Type.DREAL,
            departement=None,
            region=factory.SubFactory(RegionFactory),
            nom=factory.Sequence(lambda n: f"DREAL {n}"),
        )
        dgaln = factory.Trait(type=Organisation.Type.DGALN, departement=None, nom="DGALN")
        groupement = factory.Trait(
            type=Organisation.Type.GROUPEMENT,
            departement=None,
            nom=factory.Sequence(lambda n: f"Groupement {n}"),
        )
        operateur = factory.Trait(
            type=Organisation.Type.OPERATEUR, nom=factory.Sequence(lambda n: f"Opérateur {n}")
        )


def membre(**traits):
    """A user belonging to one new organisation built with the given traits."""
    return UtilisateurFactory(organisations=[OrganisationFactory(**traits)])
