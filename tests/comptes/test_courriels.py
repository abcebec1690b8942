"""The outbox: e-mails written with the action that sends them, delivered once, retried, given up,
re-queued by the periodic job, and never a reason for a request to wait on the broker."""

import logging
import re
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from comptes.models import Courriel
from comptes.services import (
    PieceJointe,
    courriel_ecrire,
    courriel_ecrire_depuis_gabarit,
    courriels_mettre_en_file,
    courriels_relancer,
)
from comptes.tasks import DELAIS_ENTRE_ESSAIS, courriel_envoyer
from tests.comptes.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def ecrire(**arguments):
    return courriel_ecrire(
        **{"destinataires": ["a@exemple.test"], "sujet": "Objet", "corps": "Texte", **arguments}
    )


class Retry(Exception):
    """Stands for the exception Celery's retry() raises, to read its countdown."""


@pytest.fixture
def reessais(monkeypatch):
    """The countdowns courriel_envoyer asked for, called as a worker would (not eagerly)."""
    demandes = []

    def retry(exc, countdown):
        demandes.append(countdown)
        return Retry()

    monkeypatch.setattr(courriel_envoyer, "retry", retry)
    return demandes


@pytest.fixture
def serveur_en_panne(monkeypatch):
    def send(self, fail_silently=False):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)


def test_une_ligne_par_destinataire_en_attente_jusqu_au_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as rappels:
        courriels = ecrire(
            destinataires=["a@exemple.test", "b@exemple.test", "a@exemple.test", ""],
            sujet="Objet sur\ndeux lignes\n",
        )

    assert [c.destinataire for c in courriels] == ["a@exemple.test", "b@exemple.test"]
    assert len(rappels) == 1
    assert mail.outbox == []
    assert set(Courriel.objects.values_list("etat", "sujet")) == {
        (Courriel.Etat.EN_ATTENTE, "Objet sur deux lignes")
    }


def test_une_action_annulee_n_envoie_rien(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValueError),
        transaction.atomic(),
    ):
        ecrire()
        raise ValueError("l'action échoue après avoir écrit son courriel")

    assert not Courriel.objects.exists()
    assert mail.outbox == []


def test_apres_le_commit_chacun_recoit_le_sien_une_fois(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ecrire(destinataires=["a@exemple.test", "b@exemple.test"])
    for courriel in Courriel.objects.all():
        courriel_envoyer(courriel_id=courriel.pk)  # queued a second time

    assert sorted(m.to for m in mail.outbox) == [["a@exemple.test"], ["b@exemple.test"]]
    courriel = Courriel.objects.get(destinataire="a@exemple.test")
    assert (courriel.etat, courriel.tentatives) == (Courriel.Etat.ENVOYE, 1)
    assert courriel.envoye_le is not None
    message = next(m for m in mail.outbox if m.to == ["a@exemple.test"])
    assert message.extra_headers["Message-ID"].startswith(f"<{courriel.cle}@")
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_la_piece_jointe_est_ecrite_avec_le_courriel_et_envoyee_avec_lui(
    django_capture_on_commit_callbacks,
):
    invitation = PieceJointe(
        nom="invitation.ics",
        type_contenu="text/calendar; method=REQUEST",
        contenu="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    with django_capture_on_commit_callbacks(execute=True):
        ecrire(destinataires=["a@exemple.test"], piece_jointe=invitation)
    courriel = Courriel.objects.get()
    assert (courriel.piece_jointe_nom, courriel.piece_jointe) == (
        "invitation.ics",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    [message] = mail.outbox
    [partie] = message.attachments
    assert partie.get_content_type() == "text/calendar"
    assert partie.get_param("method") == "REQUEST" and partie.get_filename() == "invitation.ics"
    assert partie.get_payload(decode=True).decode() == invitation.contenu


def test_le_texte_vient_des_gabarits(django_capture_on_commit_callbacks):
    demandeur = UtilisateurFactory(prenom="Lou", nom="Instructrice")

    with django_capture_on_commit_callbacks(execute=True):
        (courriel,) = courriel_ecrire_depuis_gabarit(
            gabarit="avis_rendu",
            contexte={
                "par": demandeur,
                "atelier": {"intitule": "Val <d'Essai>", "reference": "AL-2026-001"},
                "lien": "https://portail.test/instruction/",
            },
            destinataires=["dgaln@exemple.test"],
        )

    assert courriel.gabarit == "avis_rendu"
    assert mail.outbox[0].subject == "Avis rendu sur la candidature « Val <d'Essai> »"
    assert mail.outbox[0].body == (
        "Lou Instructrice a rendu son avis sur la candidature « Val <d'Essai> » (AL-2026-001)."
        "\n\nhttps://portail.test/instruction/\n"
    )


def test_un_serveur_injoignable_est_reessaye_avec_un_delai(serveur_en_panne, reessais):
    (courriel,) = ecrire()
    avant = timezone.now()

    with pytest.raises(Retry):
        courriel_envoyer(courriel_id=courriel.pk)

    courriel = Courriel.objects.get(pk=courriel.pk)
    assert reessais == [DELAIS_ENTRE_ESSAIS[0]]
    assert (courriel.etat, courriel.tentatives) == (Courriel.Etat.EN_ATTENTE, 1)
    assert courriel.derniere_erreur == "SMTPServerDisconnected : Connection unexpectedly closed"
    assert courriel.prochain_essai_le >= avant + timedelta(seconds=DELAIS_ENTRE_ESSAIS[0])


def test_apres_le_dernier_essai_le_courriel_est_abandonne(serveur_en_panne, reessais, caplog):
    (courriel,) = ecrire()
    Courriel.objects.filter(pk=courriel.pk).update(tentatives=len(DELAIS_ENTRE_ESSAIS))

    with caplog.at_level(logging.ERROR, logger="config.celery"):
        courriel_envoyer(courriel_id=courriel.pk)

    courriel = Courriel.objects.get(pk=courriel.pk)
    assert reessais == []
    assert (courriel.etat, courriel.tentatives) == (Courriel.Etat.ECHEC, 6)
    assert f"Courriel {courriel.pk} abandonné après 6 tentative(s)" in caplog.text


def test_un_en_tete_invalide_est_abandonne_sans_reessai(monkeypatch, reessais):
    def send(self, fail_silently=False):
        raise BadHeaderError("Header values can't contain newlines")

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    (courriel,) = ecrire()

    courriel_envoyer(courriel_id=courriel.pk)

    courriel = Courriel.objects.get(pk=courriel.pk)
    assert reessais == []
    assert (courriel.etat, courriel.tentatives) == (Courriel.Etat.ECHEC, 1)
    assert courriel.derniere_erreur.startswith("BadHeaderError")


def test_sans_broker_un_echec_laisse_le_courriel_en_attente(
    serveur_en_panne, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (courriel,) = ecrire()

    courriel = Courriel.objects.get(pk=courriel.pk)
    assert (courriel.etat, courriel.tentatives) == (Courriel.Etat.EN_ATTENTE, 1)
    assert courriel.derniere_erreur.startswith("SMTPServerDisconnected")


def test_la_relance_remet_en_file_les_courriels_en_retard(
    settings, django_capture_on_commit_callbacks
):
    settings.COURRIELS_RELANCE_SECONDES = 120
    il_y_a = timezone.now() - timedelta(seconds=121)
    oublie, recent, reporte, envoye = (ecrire(destinataires=[f"{n}@ex.test"])[0] for n in "abcd")
    Courriel.objects.filter(pk__in=[oublie.pk, envoye.pk]).update(prochain_essai_le=il_y_a)
    Courriel.objects.filter(pk=reporte.pk).update(
        prochain_essai_le=timezone.now() + timedelta(minutes=4)
    )
    Courriel.objects.filter(pk=envoye.pk).update(etat=Courriel.Etat.ENVOYE)

    with django_capture_on_commit_callbacks(execute=True):
        assert courriels_relancer() == 1

    assert [m.to for m in mail.outbox] == [["a@ex.test"]]
    assert courriels_relancer() == 0
    assert set(Courriel.objects.filter(etat=Courriel.Etat.EN_ATTENTE)) == {recent, reporte}


def test_la_relance_tourne_chaque_minute():
    planif = settings.CELERY_BEAT_SCHEDULE["relancer-courriels-en-attente"]

    assert planif == {"task": "comptes.courriels_relancer", "schedule": 60.0}


def test_un_broker_injoignable_laisse_les_courriels_en_attente_en_une_ligne(
    broker_injoignable, caplog
):
    courriels = [ecrire(destinataires=[f"{n}@exemple.test"])[0] for n in "abc"]

    with caplog.at_level(logging.WARNING, logger="config.celery"):
        courriels_mettre_en_file([c.pk for c in courriels])

    assert len(caplog.records) == 1
    assert "non mise(s) en file, broker injoignable" in caplog.records[0].getMessage()
    assert caplog.records[0].exc_info is None
    assert not Courriel.objects.exclude(etat=Courriel.Etat.EN_ATTENTE).exists()
    assert mail.outbox == []


def test_le_back_office_montre_les_courriels_sans_les_modifier(client):
    client.force_login(UtilisateurFactory(is_staff=True, is_superuser=True))
    (courriel,) = ecrire(destinataires=["elu@val.test"], sujet="Opportunité confirmée : Val")
    ecrire(destinataires=["autre@exemple.test"])
    liste = reverse("admin:comptes_courriel_changelist")

    trouves = client.get(liste, {"q": "elu@val", "etat__exact": "en_attente"})
    fiche = client.get(reverse("admin:comptes_courriel_change", args=[courriel.pk]))

    assert trouves.status_code == 200
    assert list(trouves.context["cl"].result_list) == [courriel]
    assert fiche.status_code == 200
    assert 'name="_save"' not in fiche.text
    assert "Opportunité confirmée : Val" in fiche.text
    suppression = client.post(reverse("admin:comptes_courriel_delete", args=[courriel.pk]))
    assert suppression.status_code == 403
    assert client.get(reverse("admin:comptes_courriel_add")).status_code == 403
    assert Courriel.objects.count() == 2


def test_le_lien_de_mot_de_passe_n_est_ni_affiche_ni_garde(
    client, django_capture_on_commit_callbacks
):
    utilisateur = UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comptes:mot_de_passe_oublie"), {"email": utilisateur.email})
    lien = re.search(r"/compte/mot-de-passe/\S+/", mail.outbox[0].body).group(0)
    courriel = Courriel.objects.get()
    client.force_login(UtilisateurFactory(is_staff=True, is_superuser=True))

    fiche = client.get(reverse("admin:comptes_courriel_change", args=[courriel.pk]))

    assert (courriel.etat, courriel.confidentiel, courriel.corps) == (
        Courriel.Etat.ENVOYE,
        True,
        "",
    )
    assert lien not in fiche.text
    assert "Texte confidentiel (lien de connexion)" in fiche.text
