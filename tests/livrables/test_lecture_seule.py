"""After its clôture an atelier is read-only: every write of its accompagnement is refused
with a French message and writes nothing, and its pages offer no button that writes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Atelier, Cadrage, Evenement, InterAtelier, Phase, Session
from ateliers.models.inter_atelier import CHAMPS
from ateliers.services import ActionImpossible
from ateliers.services.cadrage import cadrage_clore, cadrage_enregistrer, calendrier_fixer
from ateliers.services.inter_atelier import inter_atelier_ecrire
from ateliers.services.restitution import restitution_enregistrer
from ateliers.services.session import (
    session_convoquer,
    session_planifier,
    session_reporter,
    session_valider_compte_rendu,
    sessions_creer,
)
from ateliers.services.session_contenu import (
    compte_rendu_enregistrer,
    compte_rendu_piece_deposer,
    ligne_logistique_enregistrer,
    participant_enregistrer,
    presences_relever,
    programme_enregistrer,
)
from livrables.models import Livrable, TypeLivrable
from livrables.selectors import livrable_de
from livrables.services import (
    accord_donner,
    atelier_cloturer,
    avis_donner,
    commentaire_ecrire,
    corrections_demander,
    livrable_valider,
    version_deposer,
)
from livrables.services.feuille_route import objectif_enregistrer
from livrables.services.livret import livret_partie_ecrire
from tests.documents.fichiers_hostiles import pdf_une_page
from tests.livrables.cloture import pret_a_clore

pytestmark = pytest.mark.django_db

S = Session.Statut
CLOS = "L'atelier est à l'étape « Clôturé »"


@pytest.fixture
def clos(liv):
    """The atelier closed by its service, a session held without its compte-rendu validated."""
    sessions_creer(atelier=liv.atelier)
    Session.objects.filter(atelier=liv.atelier, numero=3).update(
        statut=S.TENUE, date=timezone.localdate(), lieu="Mairie"
    )
    Cadrage.objects.filter(atelier=liv.atelier).update(statut=Cadrage.Statut.CLOS)
    liv.atelier = pret_a_clore(liv.atelier)
    atelier_cloturer(atelier=liv.atelier, par=liv.pilote, vu=Phase.RESTITUTION)
    liv.atelier = Atelier.objects.get(pk=liv.atelier.pk)
    return liv


def _session(liv, numero=3):
    return Session.objects.select_related("atelier").get(atelier=liv.atelier, numero=numero)


def _cadrage(liv, statut=None):
    if statut:
        Cadrage.objects.filter(atelier=liv.atelier).update(statut=statut)
    return Cadrage.objects.select_related("atelier").get(atelier=liv.atelier)


def pdf():
    return SimpleUploadedFile("piece.pdf", pdf_une_page(), content_type="application/pdf")


# Each write of the accompagnement, as its author would make it, on the closed atelier.
ECRITURES = {
    "cadrage_enregistrer": lambda liv: cadrage_enregistrer(
        cadrage=_cadrage(liv, Cadrage.Statut.A_TENIR),
        par=liv.pilote,
        vu=Cadrage.Statut.A_TENIR,
        valeurs={"lieu": "Ailleurs"},
    ),
    "cadrage_clore": lambda liv: cadrage_clore(
        cadrage=_cadrage(liv, Cadrage.Statut.A_TENIR), par=liv.pilote, vu=Cadrage.Statut.A_TENIR
    ),
    "calendrier_fixer": lambda liv: calendrier_fixer(
        cadrage=_cadrage(liv),
        par=liv.pilote,
        dates={"livret": datetime.date(2028, 6, 1)},
    ),
    "session_planifier": lambda liv: session_planifier(
        session=_session(liv, 1),
        par=liv.pilote,
        vu=S.A_PLANIFIER,
        date=timezone.localdate() + datetime.timedelta(days=7),
        nombre_de_jours=1,
        heure_debut=None,
        heure_fin=None,
        lieu="Mairie",
    ),
    "session_convoquer": lambda liv: session_convoquer(
        session=_session(liv, 1), par=liv.pilote, vu=S.A_PLANIFIER
    ),
    "session_reporter": lambda liv: session_reporter(
        session=_session(liv, 1), par=liv.pilote, vu=S.A_PLANIFIER, motif="Intempéries"
    ),
    "session_valider_compte_rendu": lambda liv: session_valider_compte_rendu(
        session=_session(liv), par=liv.pilote, vu=S.TENUE
    ),
    "programme_enregistrer": lambda liv: programme_enregistrer(
        session=_session(liv, 1), par=liv.groupement, vu=S.A_PLANIFIER, points=[]
    ),
    "participant_enregistrer": lambda liv: participant_enregistrer(
        session=_session(liv, 1),
        par=liv.pilote,
        vu=S.A_PLANIFIER,
        prenom="Ana",
        nom="Lopez",
        courriel="ana@example.org",
        organisation="Mairie",
        college="etat",
    ),
    "ligne_logistique_enregistrer": lambda liv: ligne_logistique_enregistrer(
        session=_session(liv),
        par=liv.porteuse,
        vu=S.TENUE,
        poste="salle",
        description="Salle",
        payeur=liv.atelier.collectivites.get(),
        cout_estime=Decimal(100),
        cout_reel=None,
    ),
    "presences_relever": lambda liv: presences_relever(
        session=_session(liv), par=liv.pilote, vu=S.TENUE, presences={}
    ),
    "compte_rendu_enregistrer": lambda liv: compte_rendu_enregistrer(
        session=_session(liv),
        par=liv.groupement,
        vu=S.TENUE,
        synthese="Tard.",
        enjeux="",
        decisions="",
        prochaines_etapes="",
        propositions=[],
    ),
    "compte_rendu_piece_deposer": lambda liv: compte_rendu_piece_deposer(
        session=_session(liv), par=liv.groupement, vu=S.TENUE, fichier=pdf()
    ),
    "inter_atelier_ecrire": lambda liv: inter_atelier_ecrire(
        atelier=liv.atelier,
        par=liv.groupement,
        valeurs=dict.fromkeys(CHAMPS, "Texte")
        | {"nature": InterAtelier.Nature.choices[0][0], "date": timezone.localdate()},
    ),
    "restitution_enregistrer": lambda liv: restitution_enregistrer(
        atelier=liv.atelier, par=liv.pilote, valeurs={"lieu": "Ailleurs"}
    ),
}


@pytest.mark.parametrize("ecriture", list(ECRITURES))
def test_chaque_ecriture_de_l_accompagnement_est_refusee_apres_la_cloture(clos, ecriture):
    avant = Evenement.objects.count()
    with pytest.raises(ActionImpossible) as refus:
        ECRITURES[ecriture](clos)
    assert CLOS in str(refus.value) or "n'est plus possible" in str(refus.value)
    assert Evenement.objects.count() == avant
    assert Atelier.objects.get(pk=clos.atelier.pk).phase == Phase.CLOTURE


# The livrables: all five are validated; whoever tries is refused, nothing changes.
LIVRABLES = {
    "version_deposer": lambda liv, lv: version_deposer(
        livrable=lv, par=liv.groupement, vu=lv.statut, fichier=pdf()
    ),
    "commentaire_ecrire": lambda liv, lv: commentaire_ecrire(
        livrable=lv, par=liv.pilote, texte="Encore ?"
    ),
    "corrections_demander": lambda liv, lv: corrections_demander(
        livrable=lv, par=liv.pilote, vu=lv.statut
    ),
    "livrable_valider": lambda liv, lv: livrable_valider(livrable=lv, par=liv.pilote, vu=lv.statut),
    "avis_donner": lambda liv, lv: avis_donner(
        livrable=lv,
        par=liv.porteuse,
        collectivite=liv.atelier.collectivites.get(),
        sens="favorable",
    ),
    "accord_donner": lambda liv, lv: accord_donner(livrable=lv, par=liv.dgaln),
    "livret_partie_ecrire": lambda liv, lv: livret_partie_ecrire(
        livrable=lv, par=liv.groupement, cle="edito", texte="Après coup."
    ),
    "objectif_enregistrer": lambda liv, lv: objectif_enregistrer(
        livrable=livrable_de(liv.atelier, TypeLivrable.FEUILLE_ROUTE),
        par=liv.groupement,
        intitule="Après coup",
    ),
}


@pytest.mark.parametrize("ecriture", list(LIVRABLES))
def test_les_livrables_d_un_atelier_clos_ne_bougent_plus(clos, ecriture):
    """Each role that acted is told that the atelier is closed, not that it lacks the role."""
    livrable = livrable_de(clos.atelier, TypeLivrable.LIVRET)
    with pytest.raises(ActionImpossible, match=f"{CLOS} : ses livrables ne changent plus"):
        LIVRABLES[ecriture](clos, livrable)
    assert set(Livrable.objects.values_list("statut", flat=True)) == {Livrable.Statut.VALIDE}


def test_qui_ne_suit_pas_l_atelier_clos_reste_refuse_pour_son_role(clos):
    livrable = livrable_de(clos.atelier, TypeLivrable.LIVRET)
    with pytest.raises(PermissionDenied, match="Seul le groupement titulaire"):
        version_deposer(
            livrable=livrable, par=clos.autre_groupement, vu=livrable.statut, fichier=pdf()
        )


# The pages: no button writes any more.


def test_les_pages_de_l_atelier_clos_n_offrent_plus_d_ecrire(client, clos):
    client.force_login(clos.pilote)
    pk = clos.atelier.pk
    restitution = client.get(reverse("ateliers:restitution", args=[pk])).text
    assert "Enregistrer la restitution" not in restitution
    assert "Clôturé" in restitution
    cadrage = client.get(reverse("ateliers:cadrage", args=[pk])).text
    assert reverse("ateliers:calendrier_fixer", args=[pk]) not in cadrage
    assert reverse("ateliers:cadrage_modifier", args=[pk]) not in cadrage
    calendrier = client.get(reverse("ateliers:calendrier", args=[pk])).text
    assert reverse("ateliers:calendrier_fixer", args=[pk]) not in calendrier
    session = client.get(reverse("ateliers:session", args=[_session(clos).pk]))
    assert session.status_code == 200
    assert session.context["actions"] == []
    assert not any(
        session.context[k]
        for k in ("peut_inviter", "peut_programmer", "peut_gerer_logistique", "peut_relever")
    )
    client.force_login(clos.groupement)
    session = client.get(reverse("ateliers:session", args=[_session(clos).pk]))
    assert not session.context["peut_rediger"]
    inter = client.get(reverse("ateliers:inter_ateliers", args=[pk])).text
    assert reverse("ateliers:inter_atelier_ecrire", args=[pk]) not in inter
    atelier = client.get(reverse("portail:atelier", args=[pk])).text
    assert "Confirmer : clôturer" not in atelier
