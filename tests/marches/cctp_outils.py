"""What the CCTP's tests share: a marché opened from a really deposited note, and the
titulaires of its accord-cadre with a member each."""

import datetime

from django.utils import timezone

from ateliers.models import Atelier, Phase
from candidatures.services import candidature_deposer, candidature_ouvrir
from marches.models import PartieCctp
from marches.selectors.cctp import PARIS
from marches.services import cctp_partie_enregistrer, marche_ouvrir, marche_publier
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courriers
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory

NOTE = {
    "objet": {
        "titre": "Habiter la vallée inondable",
        "problematique": "Comment habiter la vallée ?",
        "enjeux": "Habitat et crues.",
        "contexte": "Une vallée entre deux villes.",
    },
    "objectifs": {
        "objectifs": [{"intitule": "Une stratégie", "description": "Partagée"}],
        "questions": "Où construire ?",
    },
    "ressources": {
        "acteurs": [{"nom": "Conservatoire", "type": "association", "role": "Témoin"}],
        "documents": [
            {"titre": "PPRI", "type": "etude", "date": "2024-03-02", "lien": "https://x.test/"}
        ],
    },
}


def marche_depuis_une_note(pilote=None, operateur=None):
    """A marché opened by its pilot on an atelier whose note was deposited (version 1), then
    declared eligible; the pilot is returned with it."""
    atelier = AtelierFactory(
        phase=Phase.CANDIDATURE,
        intitule="Vallée",
        collectivites=[OrganisationFactory(nom="Communauté du Val")],
        operateur=operateur,
    )
    porteur = UtilisateurFactory(organisations=[atelier.collectivites.get()])
    candidature = candidature_ouvrir(atelier=atelier)
    candidature = completer(candidature, porteur, **NOTE)
    deposer_courriers(candidature, porteur)
    candidature.refresh_from_db()
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)
    # The eligibility decision is candidatures' business, tested there.
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.ELIGIBLE)
    pilote = pilote or UtilisateurFactory(organisations=[atelier.service_pilote])
    marche = marche_ouvrir(atelier=atelier, par=pilote, vu=Phase.ELIGIBLE)
    return marche, pilote


def limite(jours=30, heure=12):
    """A deadline `jours` days from today at `heure` o'clock, Paris time."""
    jour = timezone.localdate(timezone=PARIS) + datetime.timedelta(days=jours)
    return datetime.datetime.combine(jour, datetime.time(heure, 0), tzinfo=PARIS)


def document_cctp():
    """The PDF of the first version of a CCTP, published from a note by the real services."""
    from tests.marches.factories import AccordCadreFactory, TitulaireFactory

    TitulaireFactory(accord_cadre=AccordCadreFactory())
    marche, pilote = marche_depuis_une_note()
    duree = PartieCctp.objects.get(marche=marche, slug="duree")
    cctp_partie_enregistrer(
        partie=duree, valeurs={"calendrier": "De janvier à décembre."}, version_lue=0, par=pilote
    )
    consultation = marche_publier(
        marche=marche,
        par=pilote,
        vu=marche.statut,
        reference_place="2026-PLACE-0001",
        publiee_le=timezone.localdate(),
        date_limite=limite(),
    )
    return consultation.versions_cctp.get().document
