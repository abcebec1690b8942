"""Accords-cadres, marchés, consultations and offers placed directly in a state; only tests
may skip the transitions."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from ateliers.models import Phase
from marches.models import (
    AccordCadre,
    Consultation,
    Critere,
    MarcheSubsequent,
    Offre,
    TitulaireAccordCadre,
    VersionCctp,
)
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory

S = MarcheSubsequent.Statut


class AccordCadreFactory(factory.django.DjangoModelFactory):
    """An accord-cadre in force today, unless its dates say otherwise."""

    class Meta:
        model = AccordCadre

    reference = factory.Sequence(lambda n: f"AC-{2024 + n % 50}-{n:03d}")
    intitule = "Accompagnement des ateliers des territoires"
    acheteur = factory.SubFactory(OrganisationFactory, dgaln=True)
    siret_acheteur = "11000000000013"
    date_debut = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    date_fin = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class TitulaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TitulaireAccordCadre

    accord_cadre = factory.SubFactory(AccordCadreFactory)
    groupement = factory.SubFactory(OrganisationFactory, groupement=True)
    date_notification = factory.LazyAttribute(lambda o: o.accord_cadre.date_debut)


class MarcheFactory(factory.django.DjangoModelFactory):
    """A marché in a state (statut=…), its atelier in the marché phase (cadrage once notified)."""

    class Meta:
        model = MarcheSubsequent

    atelier = factory.SubFactory(
        AtelierFactory,
        phase=factory.LazyAttribute(
            lambda o: Phase.CADRAGE if o.factory_parent.statut == S.NOTIFIE else Phase.MARCHE
        ),
        collectivites=factory.LazyFunction(lambda: [OrganisationFactory()]),
    )
    accord_cadre = factory.SubFactory(AccordCadreFactory)
    objet = factory.LazyAttribute(lambda o: o.atelier.intitule)
    statut = S.EN_PREPARATION
    motif_sans_suite = factory.LazyAttribute(
        lambda o: "Motif d'essai" if o.statut == S.SANS_SUITE else ""
    )
    motif_infructueux = factory.LazyAttribute(
        lambda o: "Aucune offre acceptable" if o.statut == S.INFRUCTUEUX else ""
    )
    attributaire = factory.LazyAttribute(
        lambda o: (
            OrganisationFactory(groupement=True) if o.statut in (S.ATTRIBUE, S.NOTIFIE) else None
        )
    )
    notifie_le = factory.LazyAttribute(
        lambda o: timezone.localdate() if o.statut == S.NOTIFIE else None
    )


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A published round, its deadline in a week unless told, its titulaires consulted."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    marche = factory.SubFactory(MarcheFactory, statut=S.EN_CONSULTATION)
    numero = 1
    reference_place = factory.Sequence(lambda n: f"2026-PLACE-{n:05d}")
    publiee_le = factory.LazyFunction(timezone.localdate)
    date_limite = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

    @factory.post_generation
    def consultes(self, create, extracted, **kwargs):
        if extracted:
            self.consultes.set(extracted)


class VersionCctpFactory(factory.django.DjangoModelFactory):
    """A published CCTP version with the grid « valeur technique 60 (méthodologie 30,
    compréhension des enjeux 15, équipe 15), prix 40 »."""

    class Meta:
        model = VersionCctp
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    marche = factory.LazyAttribute(lambda o: o.consultation.marche)
    numero = 1
    contenu = factory.LazyFunction(dict)

    @factory.post_generation
    def criteres(self, create, extracted, **kwargs):
        if extracted is False:
            return
        technique = Critere.objects.create(
            version=self, libelle="Valeur technique", poids=Decimal(60), ordre=1
        )
        for ordre, (libelle, poids) in enumerate(
            [
                ("Méthodologie", 30),
                ("Compréhension des enjeux", 15),
                ("Composition de l'équipe", 15),
            ],
            start=2,
        ):
            Critere.objects.create(
                version=self, parent=technique, libelle=libelle, poids=Decimal(poids), ordre=ordre
            )
        Critere.objects.create(
            version=self, libelle="Prix", poids=Decimal(40), est_prix=True, ordre=9
        )


class OffreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offre

    version_cctp = factory.SubFactory(VersionCctpFactory)
    consultation = factory.LazyAttribute(lambda o: o.version_cctp.consultation)
    groupement = factory.SubFactory(OrganisationFactory, groupement=True)
    recue_le = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    montant_ht = Decimal("95000.00")
    montant_tva = Decimal("19000.00")
    montant_ttc = Decimal("114000.00")
