"""Candidatures placed directly in a state, with their atelier in the matching phase; only
tests may skip the transitions (and the slow real dossier of tests.candidatures.dossier)."""

import datetime

import factory
from django.utils import timezone

from ateliers.models import Phase
from candidatures.models import Candidature, Decision, Objet, VersionCandidature
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory

# What a deposited version holds when the test does not read it.
CONTENU = {"titre": "", "parties": [], "courriers": []}


class CandidatureFactory(factory.django.DjangoModelFactory):
    """A candidature in a state (one trait per state), with its Objet (title, themes); a
    deposited one has its first version, dated by `depose_le`."""

    class Meta:
        model = Candidature
        skip_postgeneration_save = True

    atelier = factory.SubFactory(
        AtelierFactory, collectivites=factory.LazyFunction(lambda: [OrganisationFactory()])
    )
    atelier__phase = Phase.CANDIDATURE
    statut = Candidature.Statut.EN_REDACTION

    class Params:
        deposee = factory.Trait(statut=Candidature.Statut.DEPOSEE, atelier__phase=Phase.INSTRUCTION)
        en_instruction = factory.Trait(
            statut=Candidature.Statut.EN_INSTRUCTION, atelier__phase=Phase.INSTRUCTION
        )
        complements_demandes = factory.Trait(
            statut=Candidature.Statut.COMPLEMENTS_DEMANDES,
            complements=["objet"],
            atelier__phase=Phase.INSTRUCTION,
        )
        eligible = factory.Trait(statut=Candidature.Statut.ELIGIBLE, atelier__phase=Phase.ELIGIBLE)
        abandonnee = factory.Trait(
            statut=Candidature.Statut.ABANDONNEE,
            atelier__phase=Phase.ABANDONNE,
            atelier__sorti=True,
        )
        non_eligible = factory.Trait(
            statut=Candidature.Statut.NON_ELIGIBLE,
            atelier__phase=Phase.NON_ELIGIBLE,
            atelier__sorti=True,
        )

    @factory.post_generation
    def objet(self, create, extracted, **kwargs):
        objet = Objet.objects.create(
            candidature=self, titre=kwargs.get("titre", f"Titre de {self.atelier.intitule}")
        )
        objet.thematiques.set(kwargs.get("thematiques", []))

    @factory.post_generation
    def depose_le(self, create, extracted, **kwargs):
        if self.statut != Candidature.Statut.EN_REDACTION:
            VersionCandidature.objects.create(
                candidature=self,
                numero=1,
                depose_le=extracted or timezone.now() - datetime.timedelta(days=3),
                contenu=CONTENU,
            )


def version(candidature, numero, depose_le):
    """One more deposited version of `candidature`, dated."""
    return VersionCandidature.objects.create(
        candidature=candidature, numero=numero, depose_le=depose_le, contenu=CONTENU
    )


def decision(candidature, date_decision, *, numero=1, eligible=True, motif=""):
    """A Decision row dated `date_decision` (the state is the factory's business)."""
    return Decision.objects.create(
        candidature=candidature,
        numero=numero,
        eligible=eligible,
        motivation="Motivation d'essai",
        date_decision=date_decision,
        motif_correction=motif,
    )
