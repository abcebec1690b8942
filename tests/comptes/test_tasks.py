import pytest
from django.core import mail

from comptes.models import Courriel
from comptes.tasks import courriel_envoyer

pytestmark = pytest.mark.django_db


def test_un_sujet_sur_plusieurs_lignes_n_empeche_pas_l_envoi():
    """A row saved before titles were checked cannot make delivery fail with BadHeaderError:
    its line breaks become spaces in the subject."""
    courriel = Courriel.objects.create(
        destinataire="a@b.test", sujet="Candidature déposée : Vivre\r\navec\t l'eau", corps="…"
    )
    courriel_envoyer(courriel_id=courriel.pk)
    assert mail.outbox[0].subject == "Candidature déposée : Vivre avec l'eau"
    assert Courriel.objects.get(pk=courriel.pk).etat == Courriel.Etat.ENVOYE
