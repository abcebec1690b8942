"""The demo's marchés (manage.py charger_demo then charger_demo_candidatures first): DGALN's two
accords-cadres with their titulaires and documents, recorded through the services as DGALN
would, then the marché subséquent of each demo atelier whose plan goes past its eligibility,
opened by its pilot. Running it twice changes nothing."""

import datetime
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from ateliers.management.commands.charger_demo import ATELIERS, etaler_dans_le_temps
from ateliers.models import Atelier, Evenement, Phase
from comptes.models import Organisation, Utilisateur
from marches.models import (
    AccordCadre,
    CodeMarche,
    DocumentAccordCadre,
    MarcheSubsequent,
    Procedure,
    TypeGroupement,
)
from marches.services import (
    accord_cadre_enregistrer,
    document_accord_cadre_deposer,
    marche_ouvrir,
    titulaire_ajouter,
)

ACHETEUR = "DGALN — bureau AD1"
# FICTIONAL: the SIRETs below are made up for the demo (14 digits with a valid check key); they
# name no real establishment, the ministry's or the firms'.
SIRET_ACHETEUR = "11000990000017"
SIRETS_MANDATAIRES = {
    "Groupement 1 — Alphaville": "90000001000018",
    "Groupement 2 — Altitude 35": "90000002000017",
    "Groupement 3 — INterland": "90000003000016",
}

# (référence, intitulé, début, fin, [(groupement, notifié le)]). The 2023 kit: the accord-cadre
# of 2019 ends at the end of October 2023 with three titulaires; the 2025 page: the current one
# follows it, valid until 2027, with six titulaires of which it names only the first.
# References and notification dates are plausible, not the real ones.
ACCORDS_CADRES = [
    (
        "DHUP-AD1-2019-AT",
        "Accompagnement des Ateliers des territoires par des équipes pluridisciplinaires "
        "(2019-2023)",
        datetime.date(2019, 11, 1),
        datetime.date(2023, 10, 31),
        [
            ("Groupement 1 — Alphaville", datetime.date(2019, 10, 24)),
            ("Groupement 2 — Altitude 35", datetime.date(2019, 10, 24)),
            ("Groupement 3 — INterland", datetime.date(2019, 10, 24)),
        ],
    ),
    (
        "DHUP-AD1-2023-AT",
        "Accompagnement des Ateliers des territoires par des équipes pluridisciplinaires "
        "(2024-2027)",
        datetime.date(2024, 1, 1),
        datetime.date(2027, 12, 31),
        [("Groupement 1 — Alphaville", datetime.date(2023, 12, 18))],
    ),
]
# What DGALN sends the State services with the accord-cadre in force (the 2023 kit).
DOCUMENTS = [
    (DocumentAccordCadre.Type.CCP, "CCP de l'accord-cadre"),
    (DocumentAccordCadre.Type.BORDEREAU_PRIX, "Bordereaux des prix"),
    (DocumentAccordCadre.Type.MODELE_NOTE, "Modèle de note méthodologique"),
]


class Command(BaseCommand):
    help = (
        "Enregistre les accords-cadres de démonstration et leurs titulaires, puis ouvre le "
        "marché subséquent des ateliers de démonstration qui vont au-delà de l'éligibilité "
        "(manage.py charger_demo et charger_demo_candidatures d'abord ; sans doublon)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Les données de démonstration ne se chargent pas en production.")
        acheteur = Organisation.objects.filter(nom=ACHETEUR).first()
        dgaln = _agent(ACHETEUR)
        if acheteur is None or dgaln is None:
            raise CommandError("Chargez d'abord les comptes : manage.py charger_demo")
        with transaction.atomic():
            accords = [
                self._accord_cadre(*ligne, acheteur=acheteur, par=dgaln) for ligne in ACCORDS_CADRES
            ]
            self._documents(accords[-1], par=dgaln)
            ouverts = sum(self._ouvrir_le_marche(*plan) for plan in ATELIERS)
        self.stdout.write(
            self.style.SUCCESS(
                f"Marchés de démonstration : {AccordCadre.objects.count()} accords-cadres, "
                f"{ouverts} marché(s) ouvert(s), {MarcheSubsequent.objects.count()} au total."
            )
        )

    def _accord_cadre(self, reference, intitule, debut, fin, titulaires, *, acheteur, par):
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

    def _documents(self, accord_cadre, *, par):
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
                    _pdf(f"{titre} — accord-cadre {accord_cadre.reference}"),
                    content_type="application/pdf",
                ),
                par=par,
            )

    def _ouvrir_le_marche(self, intitule, siren, pilote, etapes, groupement, mois) -> bool:
        """The pilot opens the marché of an eligible demo atelier whose plan goes further; its
        journal line takes its place in the atelier's months, as the others did."""
        atelier = Atelier.objects.filter(intitule=intitule).first()
        if (
            atelier is None
            or "lancer_marche" not in etapes
            or atelier.phase != Phase.ELIGIBLE
            or atelier.marches.exists()
        ):
            return False
        agent = _agent(pilote)
        if agent is None:
            raise CommandError(f"Aucun compte de démonstration pour « {pilote} » : charger_demo")
        marche = marche_ouvrir(atelier=atelier, par=agent, vu=atelier.phase)
        etaler_dans_le_temps(atelier, mois)
        ouvert_le = (
            Evenement.objects.filter(atelier=atelier, code=CodeMarche.OUVERT)
            .values_list("date", flat=True)
            .get()
        )
        MarcheSubsequent.objects.filter(pk=marche.pk).update(
            ouvert_le=ouvert_le, statut_depuis=ouvert_le
        )
        return True


def _agent(organisation: str) -> Utilisateur | None:
    """The demo account that acts for this organisation."""
    return (
        Utilisateur.objects.filter(adhesions__organisation__nom=organisation).order_by("pk").first()
    )


def _pdf(ligne: str) -> bytes:
    """A one-page PDF whose only line is `ligne`: the demo's stand-in for DGALN's document."""
    texte = ligne.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
    texte = texte.replace(b")", b"\\)")
    auteur = PdfWriter()
    page = auteur.add_blank_page(595, 842)
    police = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): auteur._add_object(police)})}
    )
    contenu = DecodedStreamObject()
    contenu.set_data(b"BT /F1 12 Tf 72 770 Td (" + texte + b") Tj ET")
    page[NameObject("/Contents")] = auteur._add_object(contenu)
    sortie = io.BytesIO()
    auteur.write(sortie)
    return sortie.getvalue()
