"""L'accompagnement d'un atelier de démonstration après la notification de son marché : le
cadrage, les sessions, leurs comptes-rendus, les inter-ateliers et la restitution, chacun
écrit par son rôle à travers les services ; puis daté d'après le journal."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from ateliers.models import (
    Cadrage,
    CodeCadrage,
    CodeInterAtelier,
    CodeRestitution,
    CodeSession,
    EtapePrevue,
    InterAtelier,
    Participant,
    Restitution,
    Session,
)
from ateliers.models.inter_atelier import CHAMPS
from ateliers.models.session import PHASE_APRES_TENUE, PHASE_DE_LA_SESSION
from ateliers.services import atelier_changer_phase
from ateliers.services.cadrage import cadrage_clore, cadrage_enregistrer
from ateliers.services.inter_atelier import inter_atelier_ecrire
from ateliers.services.restitution import restitution_enregistrer
from ateliers.services.session import (
    session_convoquer,
    session_planifier,
    session_tenir,
    session_valider_compte_rendu,
)
from ateliers.services.session_contenu import (
    compte_rendu_enregistrer,
    compte_rendu_piece_deposer,
    participant_enregistrer,
    presences_relever,
    programme_enregistrer,
)
from marches.demo.contenus import (
    COMPTES_RENDUS,
    DANS_TROIS_SEMAINES,
    INTER_ATELIERS,
    PARTICIPANTS,
    PROGRAMME,
    RESTITUTION,
)
from marches.demo.donnees import CADRAGE_COMPTE_RENDU, PlanAccompagnement
from marches.demo.execution import payer
from marches.demo.outils import compte_de, photo_demo
from marches.models import Jalon

S = Session.Statut
# The photos the groupement attaches to each compte-rendu it writes.
PHOTOS_PAR_SESSION = 2
# The atelier's phase changes that a session held fires (ADR 0016), by the session's number.
TENUE_DE_LA_SESSION = {v: k for k, v in PHASE_APRES_TENUE.items()}
TRANCHE_DE_LA_TENUE = {"demarrer_session_2": Jalon.SESSION_1, "demarrer_session_3": Jalon.SESSION_2}


def _territoire(atelier):
    return atelier.intitule.split(" : ")[0]


def accompagner(atelier, pilote, etapes, plan: PlanAccompagnement, execution):
    """The steps of the atelier's plan after the cadrage's start, each with what its plan
    says it holds; the money of its sessions paid when the atelier has an execution."""
    groupement = (
        compte_de(atelier.groupement, "groupement", "Romane", "Cheffe de projet")
        if atelier.groupement_id
        else None
    )
    tenir_le_cadrage(atelier, pilote, clore="demarrer_session_1" in etapes)
    for etape in etapes[etapes.index("demarrer_cadrage") + 2 :]:
        atelier = type(atelier).objects.get(pk=atelier.pk)
        if etape == "cloturer":
            # The livrables own the clôture: charger_demo_livrables closes the atelier once
            # its five are validated and its restitution held.
            continue
        if etape in TENUE_DE_LA_SESSION:
            numero = TENUE_DE_LA_SESSION[etape]
            tenir_la_session(atelier.sessions.get(numero=numero), pilote)
            apres_la_session(atelier.sessions.get(numero=numero), plan, pilote, groupement)
        else:
            atelier_changer_phase(atelier=atelier, transition=etape, par=pilote, vu=atelier.phase)
        if execution is not None and etape in TRANCHE_DE_LA_TENUE:
            payer(execution.tranches.get(jalon=TRANCHE_DE_LA_TENUE[etape]), pilote, liberer=True)
    atelier = type(atelier).objects.get(pk=atelier.pk)
    if plan.prochaine_session:
        numero = next(n for n, phase in PHASE_DE_LA_SESSION.items() if phase == atelier.phase)
        preparer_la_session(atelier.sessions.get(numero=numero), pilote, groupement)
    if plan.restitution:
        valeurs = {k: v.format(territoire=_territoire(atelier)) for k, v in RESTITUTION.items()}
        restitution_enregistrer(
            atelier=atelier, par=pilote, valeurs={**valeurs, "date": timezone.now()}
        )


def tenir_le_cadrage(atelier, pilote, *, clore):
    """The réunion de cadrage held and recorded; closed when the atelier's plan goes on to
    session 1, left for its pilot to close otherwise (« Clore le cadrage » in « à traiter »)."""
    cadrage = Cadrage.objects.get(atelier=atelier)
    cadrage = cadrage_enregistrer(
        cadrage=cadrage,
        par=pilote,
        vu=Cadrage.Statut.A_TENIR,
        valeurs={
            "date": timezone.now() - datetime.timedelta(hours=1),
            "lieu": f"Siège de {atelier.collectivites.first() or atelier.service_pilote}",
            "participants": "Le service pilote, les collectivités porteuses et le groupement.",
            "compte_rendu": CADRAGE_COMPTE_RENDU,
        },
    )
    if clore:
        cadrage_clore(cadrage=cadrage, par=pilote, vu=Cadrage.Statut.A_TENIR)


def _planifier(session, pilote, date):
    """One day in the council room of the atelier's town."""
    return session_planifier(
        session=session,
        par=pilote,
        vu=S.A_PLANIFIER,
        date=date,
        nombre_de_jours=1,
        heure_debut=datetime.time(9, 30),
        heure_fin=datetime.time(17),
        lieu="Salle du conseil communautaire",
        commune=_territoire(session.atelier),
    )


def tenir_la_session(session, pilote):
    """The session planned today in the atelier's town, its pilot and a few guests of each
    collège convened, then held; the signed sheet says who came (all but one guest)."""
    session = _planifier(session, pilote, timezone.localdate())
    participant_enregistrer(
        session=session,
        par=pilote,
        vu=S.PLANIFIEE,
        prenom=pilote.prenom,
        nom=pilote.nom,
        courriel=pilote.email,
        organisation=str(session.atelier.service_pilote),
        college=Participant.College.ETAT,
    )
    _inviter(session, pilote)
    session = session_convoquer(session=session, par=pilote, vu=S.PLANIFIEE)
    session = session_tenir(session=session, par=pilote, vu=S.CONVOCATIONS_ENVOYEES)
    invites = list(session.participants.order_by("pk").values_list("pk", flat=True))
    absent = invites[session.numero % len(invites)]
    presences_relever(
        session=session,
        par=pilote,
        vu=S.TENUE,
        presences={
            pk: Participant.Presence.ABSENT if pk == absent else Participant.Presence.PRESENT
            for pk in invites
        },
    )


def apres_la_session(session, plan: PlanAccompagnement, pilote, groupement):
    """What follows a session held in the atelier's plan: its compte-rendu written by the
    groupement (and validated by the pilot), the groupement's inter-ateliers."""
    territoire = _territoire(session.atelier)
    if session.numero in plan.comptes_rendus:
        contenu = COMPTES_RENDUS[session.numero]
        compte_rendu_enregistrer(
            session=session,
            par=groupement,
            vu=S.TENUE,
            synthese=contenu.synthese,
            enjeux=contenu.enjeux.format(territoire=territoire),
            decisions=contenu.decisions,
            prochaines_etapes=contenu.prochaines_etapes,
            propositions=contenu.propositions,
        )
        for n in range(PHOTOS_PAR_SESSION):
            compte_rendu_piece_deposer(
                session=session,
                par=groupement,
                vu=S.TENUE,
                fichier=SimpleUploadedFile(
                    f"session-{session.numero}-photo-{n + 1}.jpg",
                    photo_demo(session.atelier_id * 10 + session.numero * 3 + n),
                    content_type="image/jpeg",
                ),
            )
    if session.numero in plan.valides:
        session_valider_compte_rendu(session=session, par=pilote, vu=S.TENUE)
    if session.numero in plan.inter_ateliers:
        for entree in INTER_ATELIERS[session.numero]:
            textes = {k: str(v).format(territoire=territoire) for k, v in entree.items()}
            inter_atelier_ecrire(
                atelier=session.atelier,
                par=groupement,
                valeurs=dict.fromkeys(CHAMPS, "")
                | textes
                | {"nature": entree["nature"], "date": timezone.localdate()},
            )


def preparer_la_session(session, pilote, groupement):
    """The next session planned in three weeks by the pilot, its programme written by the
    groupement, a few guests of each collège invited, then convened."""
    session = _planifier(session, pilote, timezone.localdate() + DANS_TROIS_SEMAINES)
    programme_enregistrer(session=session, par=groupement, vu=S.PLANIFIEE, points=PROGRAMME)
    _inviter(session, pilote)
    session_convoquer(session=session, par=pilote, vu=S.PLANIFIEE)


def _inviter(session, pilote):
    """A few guests of each collège, invited by the pilot to a planned session."""
    atelier = session.atelier
    noms = {"collectivite": atelier.collectivites.first(), "pilote": atelier.service_pilote}
    for prenom, nom, organisation, college in PARTICIPANTS:
        participant_enregistrer(
            session=session,
            par=pilote,
            vu=S.PLANIFIEE,
            prenom=prenom,
            nom=nom,
            courriel=f"{slugify(prenom)}.{slugify(nom)}@demo.atelier-local.test",
            organisation=organisation.format(**noms),
            college=college,
        )


def dater_l_accompagnement(atelier, lignes, notifie):
    """Date the accompagnement's rows from their journal lines, as the marché's are: the
    réunion de cadrage, the sessions held and their convocations, the inter-ateliers, the
    restitution; the planned calendar moves with the notification."""
    decalage = timezone.localdate(notifie) - timezone.localdate()
    prevues = list(EtapePrevue.objects.filter(atelier=atelier))
    for etape in prevues:
        etape.date_prevue += decalage
    EtapePrevue.objects.bulk_update(prevues, ["date_prevue"])
    for e in lignes:
        if e.code == CodeCadrage.ENREGISTRE:
            Cadrage.objects.filter(pk=e.objet_id).update(date=e.date - datetime.timedelta(hours=2))
        elif e.code == CodeSession.TENUE:
            Session.objects.filter(pk=e.objet_id).update(date=timezone.localdate(e.date))
        elif e.code == CodeSession.CONVOCATIONS_ENVOYEES:
            Participant.objects.filter(session_id=e.objet_id).update(invite_le=e.date)
        elif e.code == CodeInterAtelier.ECRIT:
            InterAtelier.objects.filter(pk=e.objet_id).update(
                date=timezone.localdate(e.date), cree_le=e.date, modifie_le=e.date
            )
        elif e.code == CodeRestitution.ENREGISTREE:
            Restitution.objects.filter(pk=e.objet_id).update(
                date=e.date - datetime.timedelta(hours=3), modifie_le=e.date
            )
    # Each session in its state since its last line (the journal's lines are in date order).
    depuis = {e.objet_id: e.date for e in lignes if e.code.startswith("session.")}
    for pk, date in depuis.items():
        Session.objects.filter(pk=pk).update(statut_depuis=date)
