"""The accompagnement's data for the page benchmark (issue 11), in bulk: every atelier past its
notification has its cadrage, its calendar and its three sessions in the states its phase
implies; the atelier every role sees has 150 participants at its session 1 and 60
inter-ateliers entries; then the night job raises the alerts the data calls for."""

import datetime

APRES_NOTIFICATION = ["cadrage", "session_1", "session_2", "session_3", "restitution", "cloture"]
PARTICIPANTS_DU_GRAND = 150
ENTREES_DU_GRAND = 60
COLLEGES = ["elus", "etat", "operateurs", "socio_economiques", "associations", "habitants"]


def _statut_de(numero, phase):
    """A session before the atelier's phase was held and its compte-rendu validated; the one
    of its phase is planned; the later ones are still to plan."""
    rang = APRES_NOTIFICATION.index(phase)
    if rang > numero:
        return "compte_rendu_valide"
    if rang == numero:
        return "planifiee"
    return "a_planifier"


def construire_accompagnement(rng):
    from django.db.models import Count

    from ateliers.models import (
        Atelier,
        Cadrage,
        EtapePrevue,
        InterAtelier,
        Participant,
        Session,
        calendrier_propose,
    )
    from ateliers.services.alertes import alertes_lever
    from comptes.models import Utilisateur

    ateliers = list(
        Atelier.objects.filter(phase__in=APRES_NOTIFICATION, debut_accompagnement__isnull=False)
        .only("pk", "phase", "debut_accompagnement")
        .order_by("pk")
    )
    Cadrage.objects.bulk_create(
        (
            Cadrage(
                atelier=a,
                statut="a_tenir" if a.phase == "cadrage" else "clos",
                date=None
                if a.phase == "cadrage"
                else datetime.datetime.combine(
                    a.debut_accompagnement + datetime.timedelta(days=20),
                    datetime.time(9, 30),
                    tzinfo=datetime.UTC,
                ),
                lieu="Salle du conseil",
                compte_rendu="" if a.phase == "cadrage" else "Les enjeux sont partagés.",
            )
            for a in ateliers
        ),
        batch_size=2000,
    )
    EtapePrevue.objects.bulk_create(
        (
            EtapePrevue(atelier=a, nature=nature, date_prevue=jour)
            for a in ateliers
            for nature, jour in calendrier_propose(a.debut_accompagnement, 12).items()
        ),
        batch_size=5000,
    )
    sessions = []
    for a in ateliers:
        prevues = calendrier_propose(a.debut_accompagnement, 12)
        for numero in (1, 2, 3):
            statut = _statut_de(numero, a.phase)
            datee = statut != "a_planifier"
            sessions.append(
                Session(
                    atelier=a,
                    numero=numero,
                    statut=statut,
                    date=prevues[f"session_{numero}"] if datee else None,
                    nombre_de_jours=rng.choice((1, 2)),
                    heure_debut=datetime.time(9, 30) if datee else None,
                    heure_fin=datetime.time(17) if datee else None,
                    lieu="Salle des fêtes" if datee else "",
                    commune="Figeac" if datee else "",
                )
            )
    Session.objects.bulk_create(sessions, batch_size=5000)

    grand = Atelier.objects.annotate(lignes=Count("journal")).order_by("-lignes").first()
    premiere = Session.objects.get(atelier=grand, numero=1)
    Participant.objects.bulk_create(
        Participant(
            session=premiere,
            prenom=f"Prénom{i}",
            nom=f"Nom{i}",
            courriel=f"participant{i}@banc.test",
            organisation=f"Organisation {i % 12}",
            college=COLLEGES[i % len(COLLEGES)],
            presence=("present", "absent", "inconnue")[i % 3],
        )
        for i in range(PARTICIPANTS_DU_GRAND)
    )
    auteur = Utilisateur.objects.get(email="groupement@banc.test")
    natures = [n for n, _ in InterAtelier.Nature.choices]
    InterAtelier.objects.bulk_create(
        InterAtelier(
            atelier=grand,
            nature=natures[i % len(natures)],
            date=grand.debut_accompagnement + datetime.timedelta(days=3 * i),
            titre=f"Entretien ou réunion n° {i}",
            interlocuteur="Maire de la commune",
            organisation="Commune",
            synthese="Les attentes du territoire sont notées. " * 5,
            auteur=auteur,
            statut="publiee",
        )
        for i in range(ENTREES_DU_GRAND)
    )
    return alertes_lever()


def pages_accompagnement():
    """The accompagnement's pages of the atelier every role sees, by name."""
    from django.db.models import Count

    from ateliers.models import Atelier, Session

    grand = Atelier.objects.annotate(lignes=Count("journal")).order_by("-lignes").first()
    premiere = Session.objects.get(atelier=grand, numero=1)
    return {
        "cadrage": f"/ateliers/{grand.pk}/cadrage/",
        "calendrier": f"/ateliers/{grand.pk}/calendrier/",
        "session (150 participants)": f"/ateliers/sessions/{premiere.pk}/",
        "inter-ateliers (60 entrées)": f"/ateliers/{grand.pk}/inter-ateliers/",
        "mes agendas": "/ateliers/agenda/",
    }
