"""The accord-cadre kept by DGALN (and the admins): its record, its titulaires and the typed,
versioned documents it sends the State services. None of these touches an atelier: each writes
one journal line without one."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from ateliers.services import ActionImpossible, journal_ecrire
from comptes.dates import date_longue
from comptes.models import Organisation, Utilisateur
from comptes.selectors import courriels_membres
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.services import fichier_deposer
from documents.verification import Usage
from marches.models import (
    AccordCadre,
    Consultation,
    DocumentAccordCadre,
    MarcheSubsequent,
    TitulaireAccordCadre,
)
from marches.services._commun import lien_vers

GERER = "marches.gerer_accordcadre"
# The marchés whose pilot still works with the accord-cadre's documents.
S = MarcheSubsequent.Statut
MARCHES_EN_COURS = (S.EN_PREPARATION, S.EN_CONSULTATION, S.EN_ANALYSE, S.ATTRIBUE, S.INFRUCTUEUX)


class CodeAccordCadre(models.TextChoices):
    """The journal's codes for the accord-cadre, its titulaires and documents."""

    ENREGISTRE = "accord_cadre.enregistre", "Accord-cadre enregistré"
    MODIFIE = "accord_cadre.modifie", "Accord-cadre modifié"
    TITULAIRE_AJOUTE = "accord_cadre.titulaire_ajoute", "Titulaire ajouté à l'accord-cadre"
    TITULAIRE_RETIRE = "accord_cadre.titulaire_retire", "Titulaire retiré de l'accord-cadre"
    DOCUMENT_DEPOSE = "accord_cadre.document_depose", "Document de l'accord-cadre déposé"


def _jour(jour: datetime.date) -> str:
    """« 3 février 2026 », as every page says a date."""
    return date_longue(jour)


def _refuser_si_non_gestionnaire(par: Utilisateur) -> None:
    if not par.has_perm(GERER):
        raise PermissionDenied("Seules la DGALN et l'administration tiennent les accords-cadres.")


def _verrouille(accord_cadre: AccordCadre) -> AccordCadre:
    return AccordCadre.objects.select_for_update().get(pk=accord_cadre.pk)


@transaction.atomic
def accord_cadre_enregistrer(
    *,
    par: Utilisateur,
    accord_cadre: AccordCadre | None = None,
    reference: str,
    intitule: str,
    acheteur: Organisation,
    siret_acheteur: str,
    date_debut: datetime.date,
    date_fin: datetime.date,
    procedure: str,
    code_cpv: str,
    ccag: str,
) -> AccordCadre:
    """Record a new accord-cadre, or correct `accord_cadre`, once every field passes its
    checks (ValidationError otherwise); the journal says which fields changed."""
    _refuser_si_non_gestionnaire(par)
    if acheteur.type != Organisation.Type.DGALN:
        raise ActionImpossible("L'acheteur d'un accord-cadre est la DGALN.")
    champs = {
        "reference": reference.strip(),
        "intitule": intitule.strip(),
        "acheteur": acheteur,
        "siret_acheteur": siret_acheteur.strip(),
        "date_debut": date_debut,
        "date_fin": date_fin,
        "procedure": procedure,
        "code_cpv": code_cpv.strip(),
        "ccag": ccag,
    }
    cree = accord_cadre is None
    if accord_cadre is None:
        accord_cadre = AccordCadre(**champs)
        changes: list[str] = []
    else:
        accord_cadre = _verrouille(accord_cadre)
        changes = [
            str(_libelle_du_champ(nom))
            for nom, valeur in champs.items()
            if getattr(accord_cadre, nom) != valeur
        ]
        if not changes:
            return accord_cadre
        for nom, valeur in champs.items():
            setattr(accord_cadre, nom, valeur)
        _refuser_si_marches_hors_dates(accord_cadre)
    accord_cadre.full_clean()
    accord_cadre.save()
    journal_ecrire(
        code=CodeAccordCadre.ENREGISTRE if cree else CodeAccordCadre.MODIFIE,
        objet=accord_cadre,
        par=par,
        libelle="Accord-cadre enregistré" if cree else "Accord-cadre modifié",
        commentaire=(
            f"Du {_jour(accord_cadre.date_debut)} au {_jour(accord_cadre.date_fin)}"
            if cree
            else "Champs modifiés : " + ", ".join(changes)
        ),
    )
    return accord_cadre


def _libelle_du_champ(nom: str) -> str:
    champ = AccordCadre._meta.get_field(nom)
    return str(getattr(champ, "verbose_name", nom))


def _refuser_si_marches_hors_dates(accord_cadre: AccordCadre) -> None:
    """A marché subséquent was opened while the accord-cadre was in force: new dates must still
    cover the day each was opened."""
    hors = accord_cadre.marches.exclude(
        ouvert_le__date__range=(accord_cadre.date_debut, accord_cadre.date_fin)
    )
    premier = hors.select_related("atelier").order_by("ouvert_le").first()
    if premier is not None:
        raise ActionImpossible(
            f"Le marché subséquent {premier.reference} a été ouvert le "
            f"{_jour(timezone.localtime(premier.ouvert_le).date())} sous cet accord-cadre : "
            "ses dates doivent couvrir ce jour-là."
        )


@transaction.atomic
def titulaire_ajouter(
    *,
    accord_cadre: AccordCadre,
    groupement: Organisation,
    date_notification: datetime.date,
    type_groupement: str,
    siret_mandataire: str,
    par: Utilisateur,
) -> TitulaireAccordCadre:
    """Make a groupement titulaire of the accord-cadre from the day it was notified on it: it is
    consulted in the marchés subséquents opened under it from then on."""
    _refuser_si_non_gestionnaire(par)
    accord_cadre = _verrouille(accord_cadre)
    if groupement.type != Organisation.Type.GROUPEMENT:
        raise ActionImpossible(
            f"« {groupement.nom} » n'est pas un groupement : seuls les groupements sont "
            "titulaires de l'accord-cadre."
        )
    if accord_cadre.titularites.filter(groupement=groupement).exists():
        raise ActionImpossible(f"« {groupement.nom} » est déjà titulaire de cet accord-cadre.")
    if date_notification > accord_cadre.date_fin:
        raise ActionImpossible(
            f"L'accord-cadre prend fin le {_jour(accord_cadre.date_fin)} : un titulaire est "
            "notifié avant."
        )
    titulaire = TitulaireAccordCadre(
        accord_cadre=accord_cadre,
        groupement=groupement,
        date_notification=date_notification,
        type_groupement=type_groupement,
        siret_mandataire=siret_mandataire.strip(),
    )
    titulaire.full_clean()
    titulaire.save()
    journal_ecrire(
        code=CodeAccordCadre.TITULAIRE_AJOUTE,
        objet=accord_cadre,
        par=par,
        libelle=f"Titulaire ajouté : {groupement.nom}",
        commentaire=f"Notifié le {_jour(date_notification)}",
    )
    return titulaire


@transaction.atomic
def titulaire_retirer(*, titulaire: TitulaireAccordCadre, par: Utilisateur) -> AccordCadre:
    """Take a groupement off the accord-cadre, a mistake being corrected: refused once it was
    consulted in a marché subséquent under it, whose record names it."""
    _refuser_si_non_gestionnaire(par)
    accord_cadre = _verrouille(titulaire.accord_cadre)
    titulaire = TitulaireAccordCadre.objects.select_related("groupement").get(pk=titulaire.pk)
    groupement = titulaire.groupement
    consultations = Consultation.objects.filter(
        marche__accord_cadre=accord_cadre, consultes=groupement
    ).select_related("marche__atelier")
    premiere = consultations.order_by("publiee_le", "pk").first()
    if premiere is not None:
        raise ActionImpossible(
            f"« {groupement.nom} » ne peut pas être retiré de l'accord-cadre : il a été consulté "
            f"pour le marché subséquent {premiere.marche.reference}, dont le dossier le nomme."
        )
    if accord_cadre.marches.filter(attributaire=groupement).exists():
        raise ActionImpossible(
            f"« {groupement.nom} » ne peut pas être retiré de l'accord-cadre : un marché "
            "subséquent lui a été attribué."
        )
    titulaire.delete()
    journal_ecrire(
        code=CodeAccordCadre.TITULAIRE_RETIRE,
        objet=accord_cadre,
        par=par,
        libelle=f"Titulaire retiré : {groupement.nom}",
        commentaire=f"Il avait été notifié le {_jour(titulaire.date_notification)}",
    )
    return accord_cadre


@transaction.atomic
def document_accord_cadre_deposer(
    *,
    accord_cadre: AccordCadre,
    type_document: str,
    titre: str,
    fichier: UploadedFile,
    par: Utilisateur,
) -> DocumentAccordCadre:
    """Store a checked document of the accord-cadre as the next version of its type and title
    (the earlier ones stay, listed); the pilots of the marchés under way are told that it
    changed."""
    _refuser_si_non_gestionnaire(par)
    accord_cadre = _verrouille(accord_cadre)
    type_document = DocumentAccordCadre.Type(type_document)
    titre = titre.strip()
    if not titre:
        raise ValidationError({"titre": "Donnez un titre au document."})
    precedente = accord_cadre.documents.filter(type=type_document, titre=titre).aggregate(
        n=Max("version")
    )["n"]
    # The file belongs to the accord-cadre while its document row does not exist yet, then to
    # the document: its download follows marches.view_documentaccordcadre.
    depose = fichier_deposer(
        fichier=fichier, par=par, proprietaire=accord_cadre, usage=Usage.PIECE_MARCHE
    )
    document = DocumentAccordCadre(
        accord_cadre=accord_cadre,
        type=type_document,
        titre=titre,
        version=(precedente or 0) + 1,
        fichier=depose,
        ajoute_par=par,
    )
    document.full_clean()
    document.save()
    depose.proprietaire = document
    depose.save(update_fields=["proprietaire_type", "proprietaire_id"])
    journal_ecrire(
        code=CodeAccordCadre.DOCUMENT_DEPOSE,
        objet=accord_cadre,
        par=par,
        libelle=f"Document déposé : {titre}, version {document.version}",
        commentaire=f"{type_document.label} — fichier « {depose.nom_original} »",
    )
    pilotes = (
        accord_cadre.marches.filter(statut__in=MARCHES_EN_COURS)
        .exclude(atelier__service_pilote=None)
        .values_list("atelier__service_pilote", flat=True)
    )
    courriel_ecrire_depuis_gabarit(
        gabarit="accord_document_depose",
        contexte={
            "accord_cadre": accord_cadre,
            "document": document,
            "lien": lien_vers("marches:accord_cadre", accord_cadre.pk),
        },
        destinataires=courriels_membres(set(pilotes)),
    )
    return document
