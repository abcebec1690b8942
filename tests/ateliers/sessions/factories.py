"""Sessions placed directly in a state, with their atelier in the matching phase; only tests
may skip the transitions."""

import datetime

import factory
from django.utils import timezone

from ateliers.models import Participant, Phase, Session
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory

S = Session.Statut
PHASES = {1: Phase.SESSION_1, 2: Phase.SESSION_2, 3: Phase.SESSION_3}


class SessionFactory(factory.django.DjangoModelFactory):
    """A session in a state (statut=…); from planifiée on, dated today in a named place. Its
    atelier is in the session's phase, with a collectivité porteuse and a groupement."""

    class Meta:
        model = Session

    atelier = factory.SubFactory(
        AtelierFactory,
        phase=factory.LazyAttribute(lambda o: PHASES.get(o.factory_parent.numero, Phase.SESSION_1)),
        collectivites=factory.LazyFunction(lambda: [OrganisationFactory()]),
        groupement=factory.SubFactory(OrganisationFactory, groupement=True),
    )
    numero = 1
    statut = S.A_PLANIFIER
    date = factory.LazyAttribute(
        lambda o: None if o.statut in (S.A_PLANIFIER, S.REPORTEE) else timezone.localdate()
    )
    heure_debut = factory.LazyAttribute(lambda o: o.date and datetime.time(9, 30))
    heure_fin = factory.LazyAttribute(lambda o: o.date and datetime.time(17))
    lieu = factory.LazyAttribute(lambda o: "Salle des fêtes" if o.date else "")
    commune = factory.LazyAttribute(lambda o: "Arles" if o.date else "")
    motif_report = factory.LazyAttribute(
        lambda o: "Salle indisponible" if o.statut == S.REPORTEE else ""
    )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    session = factory.SubFactory(SessionFactory)
    prenom = factory.Iterator(["Camille", "Dominique", "Claude", "Sasha"])
    nom = factory.Sequence(lambda n: f"Participant{n}")
    courriel = factory.Sequence(lambda n: f"participant{n}@exemple.test")
    organisation = "Commune d'essai"
    college = Participant.College.ELUS
