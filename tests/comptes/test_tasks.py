from django.core import mail

from comptes.tasks import envoyer_courriel


def test_un_sujet_sur_plusieurs_lignes_n_empeche_pas_l_envoi():
    """A row saved before titles were checked cannot make delivery fail with BadHeaderError:
    its line breaks become spaces in the subject."""
    envoyer_courriel(
        sujet="Candidature déposée : Vivre\r\navec\x00 l'eau", corps="…", destinataires=["a@b.test"]
    )
    assert mail.outbox[0].subject == "Candidature déposée : Vivre avec l'eau"
