"""Accords-cadres de la démo : leurs titulaires (et les groupements fictifs qui complètent le
en cours), leurs documents, enregistrés par les services comme la DGALN le ferait."""

from django.core.files.uploadedfile import SimpleUploadedFile

from comptes.models import MembreGroupement, Organisation
from marches.demo.donnees import (
    DOCUMENTS,
    GROUPEMENTS_FICTIFS,
    SIRET_ACHETEUR,
    SIRETS_MANDATAIRES,
)
from marches.demo.outils import pdf_demo
from marches.models import (
    AccordCadre,
    Procedure,
    TypeGroupement,
)
from marches.services import (
    accord_cadre_enregistrer,
    document_accord_cadre_deposer,
    titulaire_ajouter,
)


def groupements_fictifs():
    for nom, membres in GROUPEMENTS_FICTIFS.items():
        groupement, _ = Organisation.objects.get_or_create(
            nom=nom, defaults={"type": Organisation.Type.GROUPEMENT}
        )
        for ordre, (raison, role, competences) in enumerate(membres):
            MembreGroupement.objects.get_or_create(
                groupement=groupement,
                nom=raison,
                defaults={"role": role, "competences": competences, "ordre": ordre},
            )


def charger_accord_cadre(reference, intitule, debut, fin, titulaires, *, acheteur, par):
    accord_cadre = AccordCadre.objects.filter(reference=reference).first()
    if accord_cadre is None:
        accord_cadre = accord_cadre_enregistrer(
            par=par,
            reference=reference,
            intitule=intitule,
            acheteur=acheteur,
            siret_acheteur=SIRET_ACHETEUR,
            date_debut=debut,
            date_fin=fin,
            procedure=Procedure.AO_OUVERT,
            code_cpv="71410000",
            ccag=AccordCadre._meta.get_field("ccag").default,
        )
    deja = set(accord_cadre.titularites.values_list("groupement__nom", flat=True))
    for nom, notifie_le in titulaires:
        groupement = Organisation.objects.groupements().filter(nom=nom).first()
        if groupement is None or nom in deja:
            continue
        titulaire_ajouter(
            accord_cadre=accord_cadre,
            groupement=groupement,
            date_notification=notifie_le,
            type_groupement=TypeGroupement.CONJOINT,
            siret_mandataire=SIRETS_MANDATAIRES[nom],
            par=par,
        )
    return accord_cadre


def deposer_documents(accord_cadre, *, par):
    deja = set(accord_cadre.documents.values_list("type", "titre"))
    for type_document, titre in DOCUMENTS:
        if (type_document, titre) in deja:
            continue
        document_accord_cadre_deposer(
            accord_cadre=accord_cadre,
            type_document=type_document,
            titre=titre,
            fichier=SimpleUploadedFile(
                f"{type_document}.pdf",
                pdf_demo(f"{titre} — accord-cadre {accord_cadre.reference}"),
                content_type="application/pdf",
            ),
            par=par,
        )
