"""What the tests of the written livrables share: sessions with their validated compte-rendu,
inter-ateliers and the groupement's firms, placed directly (only tests skip the transitions)."""

import datetime

from ateliers.models import CompteRendu, InterAtelier, Proposition, Session
from comptes.models import MembreGroupement
from livrables.selectors import livrable_de
from tests.ateliers.sessions.factories import SessionFactory

JOUR = datetime.date(2027, 3, 10)


def session_validee(liv, numero, synthese="Le diagnostic est partagé.", propositions=2):
    session = SessionFactory(
        atelier=liv.atelier,
        numero=numero,
        statut=Session.Statut.COMPTE_RENDU_VALIDE,
        date=JOUR + datetime.timedelta(days=60 * (numero - 1)),
    )
    compte_rendu = CompteRendu.objects.create(
        session=session, synthese=synthese, enjeux="La ressource en eau."
    )
    for ordre in range(propositions):
        Proposition.objects.create(
            compte_rendu=compte_rendu,
            ordre=ordre,
            texte=f"Proposition {numero}.{ordre}",
            theme="Eau",
            proposee_par="Le maire",
        )
    return session


def inter_atelier(liv, jours=5, titre="Entretien avec la chambre d'agriculture"):
    return InterAtelier.objects.create(
        atelier=liv.atelier,
        nature=InterAtelier.Nature.ENTRETIEN,
        date=JOUR + datetime.timedelta(days=jours),
        titre=titre,
        interlocuteur="Camille Dufresne",
        organisation="Chambre d'agriculture",
        synthese="Les exploitants attendent une stratégie foncière.",
        auteur=liv.groupement,
    )


def membres(liv):
    groupement = liv.atelier.groupement
    return [
        MembreGroupement.objects.create(
            groupement=groupement,
            nom="Altitude 35",
            role=MembreGroupement.Role.MANDATAIRE,
            competences="paysage, urbanisme",
            ordre=0,
        ),
        MembreGroupement.objects.create(
            groupement=groupement,
            nom="Belvédère",
            role=MembreGroupement.Role.CO_TRAITANT,
            competences="prospective",
            ordre=1,
        ),
    ]


def livrable(liv, type):
    return livrable_de(liv.atelier, type)
