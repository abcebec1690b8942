"""The demo's marchés (manage.py charger_demo then charger_demo_candidatures first): DGALN's two
accords-cadres with their titulaires and documents, recorded through the services as DGALN
would, then the marché subséquent of each demo atelier whose plan goes past its eligibility,
taken by its pilot (and its panel) through the services as far as its plan says: one in
consultation, one in analysis with three offers, two notified (the later steps of their
atelier follow, and the money of one). The services date everything « now »: each atelier's
journal is then spread over its months and every row dated from its journal line. Running it
twice changes nothing."""

import datetime
import io
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from ateliers.management.commands.charger_demo import ATELIERS, MOT_DE_PASSE, etaler_dans_le_temps
from ateliers.models import Atelier, Evenement, Phase
from ateliers.services import atelier_changer_phase
from comptes.models import Adhesion, MembreGroupement, Organisation, Utilisateur
from marches.models import (
    AccordCadre,
    Attribution,
    CodeAnalyse,
    CodeConsultation,
    CodeMarche,
    CodeOffre,
    Consultation,
    CreditAnnuel,
    DocumentAccordCadre,
    Execution,
    Jalon,
    Lettre,
    MarcheSubsequent,
    NoteOffre,
    Offre,
    Paiement,
    PartieCctp,
    Procedure,
    QuestionConsultation,
    RapportAnalyse,
    SignatureRapport,
    Tranche,
    TypeGroupement,
    VersionCctp,
)
from marches.models.finances import CodeFinances
from marches.selectors import parties_du_cctp
from marches.services import (
    TrancheSaisie,
    accord_cadre_enregistrer,
    cctp_partie_enregistrer,
    consultation_clore,
    credit_enregistrer,
    document_accord_cadre_deposer,
    execution_ouvrir,
    marche_attribuer,
    marche_notifier,
    marche_ouvrir,
    marche_publier,
    offre_enregistrer,
    offre_noter,
    paiement_enregistrer,
    question_enregistrer,
    question_repondre,
    rapport_produire,
    rapport_signer,
    titulaire_ajouter,
    tranche_liberer,
)
from marches.services.analyse import criteres_notes

ACHETEUR = "DGALN — bureau AD1"
# FICTIONAL: the SIRETs below are made up for the demo (14 digits with a valid check key); they
# name no real establishment, the ministry's or the firms'.
SIRET_ACHETEUR = "11000990000017"
SIRETS_MANDATAIRES = {
    "Groupement 1 — Alphaville": "90000001000018",
    "Groupement 2 — Altitude 35": "90000002000017",
    "Groupement 3 — INterland": "90000003000016",
    "Groupement 4 — Équipe démo Littoral (fictif)": "90000004000015",
    "Groupement 5 — Équipe démo Piémont (fictif)": "90000005000014",
}
G1 = "Groupement 1 — Alphaville"
G4 = "Groupement 4 — Équipe démo Littoral (fictif)"
G5 = "Groupement 5 — Équipe démo Piémont (fictif)"
# FICTIONAL: the 2025 page names only the first of the six titulaires of the current
# accord-cadre; the demo needs three to consult, so it invents two teams, said fictional in
# their names and in those of their invented firms (no real firm, no real person).
GROUPEMENTS_FICTIFS = {
    G4: [
        ("Atelier Marée Haute (fictif)", "mandataire", "urbanisme, programmation"),
        ("Dunes et Paysages (fictif)", "co_traitant", "paysage, espace public"),
        ("Cap Mobilités (fictif)", "co_traitant", "mobilité"),
    ],
    G5: [
        ("Terres d'Études (fictif)", "mandataire", "urbanisme, prospective"),
        ("Atelier des Versants (fictif)", "co_traitant", "architecture, paysage"),
        ("Écotone Conseil (fictif)", "co_traitant", "environnement, énergie"),
        ("Parole Publique (fictif)", "co_traitant", "concertation, graphisme"),
    ],
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
        [
            ("Groupement 1 — Alphaville", datetime.date(2023, 12, 18)),
            (G4, datetime.date(2023, 12, 18)),
            (G5, datetime.date(2023, 12, 18)),
        ],
    ),
]
# What DGALN sends the State services with the accord-cadre in force (the 2023 kit).
DOCUMENTS = [
    (DocumentAccordCadre.Type.CCP, "CCP de l'accord-cadre"),
    (DocumentAccordCadre.Type.BORDEREAU_PRIX, "Bordereaux des prix"),
    (DocumentAccordCadre.Type.MODELE_NOTE, "Modèle de note méthodologique"),
]


CONSULTATION = "consultation"
ANALYSE = "analyse"
NOTIFICATION = "notification"


@dataclass(frozen=True)
class PlanMarche:
    """How far the marché of a demo atelier goes: published (`jusqua` consultation), its
    offers under analysis, or notified to the groupement its atelier's plan names."""

    jusqua: str
    reference_place: str
    offres: tuple[str, ...] = ()
    execution: bool = False


# By the start of the atelier's title (ATELIERS in charger_demo); an atelier whose plan opens
# a marché and is not listed here stays in preparation. References PLACE are made up.
PLANS = {
    "Pays Basque": PlanMarche(CONSULTATION, "2026-DDTM64-AL-0142"),
    "Vitré Communauté": PlanMarche(ANALYSE, "2026-DDTM35-AL-0157", (G1, G4, G5)),
    "Arles-Crau-Camargue": PlanMarche(
        NOTIFICATION, "2026-DDTM13-AL-0098", (G1, G4), execution=True
    ),
    "Grand Besançon": PlanMarche(NOTIFICATION, "2025-DDT25-AL-0061", (G1, G5)),
}
# Every offer's amount HT and breakdown by phase (the bordereau's rows), by groupement.
OFFRES = {
    G1: (
        Decimal("94500"),
        [("Cadrage", "12500"), ("Sessions", "63000"), ("Livrables et restitution", "19000")],
    ),
    G4: (
        Decimal("89000"),
        [("Cadrage", "11000"), ("Sessions", "60000"), ("Livrables et restitution", "18000")],
    ),
    G5: (
        Decimal("98000"),
        [("Cadrage", "14000"), ("Sessions", "64000"), ("Livrables et restitution", "20000")],
    ),
}
# Collegial marks (out of 5) of the marked criteria in the grid's order: méthodologie,
# compréhension des enjeux, composition de l'équipe. The attributaire's are the best.
NOTES_RETENUE = ("4.5", "4.5", "4")
NOTES = {G1: ("4", "4", "4.5"), G4: ("3.5", "4", "3"), G5: ("4", "3.5", "3.5")}
JUSTIFICATION = {
    0: "Une méthode d'atelier claire, des sessions préparées avec les acteurs du territoire.",
    1: "Les enjeux du territoire sont compris et reformulés avec justesse.",
    2: "Une équipe complète ; les compétences demandées par le CCTP sont toutes présentes.",
}
CALENDRIER = (
    "Réunion de lancement le mois de la notification, session 1 au troisième mois, session 2 "
    "au sixième, session 3 au neuvième, restitution finale au douzième."
)
# The échéancier of the marché whose money the demo shows, summing to 100 %.
ECHEANCIER = [
    TrancheSaisie("Avance à la notification", Jalon.AVANCE, Decimal(30)),
    TrancheSaisie("Note de cadrage validée", Jalon.NOTE_CADRAGE, Decimal(20)),
    TrancheSaisie("Session 1 tenue", Jalon.SESSION_1, Decimal(15)),
    TrancheSaisie("Session 2 tenue", Jalon.SESSION_2, Decimal(15)),
    TrancheSaisie("Session 3 tenue", Jalon.SESSION_3, Decimal(10)),
    TrancheSaisie("Livrables finaux validés", Jalon.LIVRABLES_FINAUX, Decimal(10)),
]
# How long the offers have to arrive in the marchés the demo takes past their deadline: the
# command waits this long once, for all of them.
DELAI_DEMO = datetime.timedelta(seconds=3)
# The collectivité's account of the marché under analysis, which marks the offers with the
# pilot (fictional person).
PORTEUR_ANALYSE = ("porteur.vitre@demo.atelier-local.test", "Gaëlle", "Porteur")


def _plan(intitule: str) -> PlanMarche | None:
    return next((p for debut, p in PLANS.items() if intitule.startswith(debut)), None)


class Command(BaseCommand):
    help = (
        "Enregistre les accords-cadres de démonstration et leurs titulaires, puis ouvre le "
        "marché subséquent des ateliers de démonstration qui vont au-delà de l'éligibilité et "
        "le mène aussi loin que leur plan (consultation, analyse, notification, paiements) "
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
            self._groupements_fictifs()
            accords = [
                self._accord_cadre(*ligne, acheteur=acheteur, par=dgaln) for ligne in ACCORDS_CADRES
            ]
            self._documents(accords[-1], par=dgaln)
            ouverts = [a for plan in ATELIERS if (a := self._ouvrir_le_marche(*plan))]
        # The offers of the marchés taken past their deadline are in: wait for it, once.
        a_clore = [
            a for a in ouverts if (plan := _plan(a.intitule)) and plan.jusqua != CONSULTATION
        ]
        if a_clore:
            echeance = max(
                Consultation.objects.filter(marche__atelier__in=a_clore).values_list(
                    "date_limite", flat=True
                )
            )
            time.sleep(max(0.0, (echeance - timezone.now()).total_seconds() + 0.1))
        with transaction.atomic():
            for atelier in a_clore:
                self._analyser(atelier)
            for atelier in ouverts:
                self._dater(atelier)
        self.stdout.write(
            self.style.SUCCESS(
                f"Marchés de démonstration : {AccordCadre.objects.count()} accords-cadres, "
                f"{len(ouverts)} marché(s) ouvert(s), {MarcheSubsequent.objects.count()} au "
                "total."
            )
        )

    def _groupements_fictifs(self):
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

    def _ouvrir_le_marche(self, intitule, siren, pilote, etapes, groupement, mois):
        """The pilot opens the marché of an eligible demo atelier whose plan goes further, then
        writes its CCTP, publishes it and records the questions and offers of its plan."""
        atelier = Atelier.objects.filter(intitule=intitule).first()
        if (
            atelier is None
            or "lancer_marche" not in etapes
            or atelier.phase != Phase.ELIGIBLE
            or atelier.marches.exists()
        ):
            return None
        agent = _agent(pilote)
        if agent is None:
            raise CommandError(f"Aucun compte de démonstration pour « {pilote} » : charger_demo")
        marche = marche_ouvrir(atelier=atelier, par=agent, vu=atelier.phase)
        plan = _plan(intitule)
        if plan is not None:
            # A deadline falls a day after the publication at the earliest: the marché opened
            # two days ago for now (its journal dates it at last, _dater).
            MarcheSubsequent.objects.filter(pk=marche.pk).update(
                ouvert_le=timezone.now() - datetime.timedelta(days=2)
            )
            self._publier(marche, plan, par=agent)
        return atelier

    def _publier(self, marche, plan, *, par):
        """The CCTP that the opening pre-filled from the note, its calendar written in, then
        published on PLACE to every titulaire of the accord-cadre."""
        for partie in parties_du_cctp(marche):
            if partie.slug == "duree":
                cctp_partie_enregistrer(
                    partie=partie,
                    valeurs={"calendrier": CALENDRIER},
                    version_lue=partie.version,
                    par=par,
                )
        publiee_le = timezone.localdate()
        if plan.jusqua == CONSULTATION:
            dans_trois_semaines = timezone.localtime() + datetime.timedelta(weeks=3)
            date_limite = dans_trois_semaines.replace(hour=12, minute=0, second=0, microsecond=0)
        else:
            publiee_le -= datetime.timedelta(days=1)
            date_limite = timezone.now() + DELAI_DEMO
        consultation = marche_publier(
            marche=MarcheSubsequent.objects.get(pk=marche.pk),
            par=par,
            vu=MarcheSubsequent.Statut.EN_PREPARATION,
            reference_place=plan.reference_place,
            publiee_le=publiee_le,
            date_limite=date_limite,
        )
        if plan.jusqua == CONSULTATION:
            question = question_enregistrer(
                consultation=consultation,
                question="Les trois sessions peuvent-elles se tenir dans des communes différentes "
                "du territoire ?",
                recue_le=timezone.now(),
                par=par,
            )
            question_repondre(
                question=question,
                reponse="Oui : le service pilote et les collectivités porteuses proposent les "
                "lieux des sessions lors du cadrage ; les frais de salle sont à leur charge.",
                par=par,
            )
        for nom in plan.offres:
            montant_ht, lignes = OFFRES[nom]
            offre_enregistrer(
                consultation=consultation,
                groupement=Organisation.objects.get(nom=nom),
                recue_le=timezone.now(),
                montant_ht=montant_ht,
                montant_tva=(montant_ht * Decimal("0.2")).quantize(Decimal("0.01")),
                decomposition=[{"phase": phase, "montant_ht": m} for phase, m in lignes],
                note_methodologique=_piece("note_methodologique", "Note méthodologique", nom),
                presentation_competences=_piece(
                    "presentation_competences", "Présentation des compétences", nom
                ),
                proposition_financiere=_piece(
                    "proposition_financiere", "Proposition financière", nom
                ),
                par=par,
            )

    def _analyser(self, atelier):
        """The remise closed by the pilot, the offers marked by the panel; for a marché whose
        plan goes to notification, the rapport, the attribution to the groupement its atelier's
        plan names, the notification, then the atelier's next steps and, for one, its money."""
        _, _, pilote_nom, etapes, retenue, mois = next(
            p for p in ATELIERS if p[0] == atelier.intitule
        )
        plan = _plan(atelier.intitule)
        pilote = _agent(pilote_nom)
        if plan is None or pilote is None:
            return
        S = MarcheSubsequent.Statut
        marche = consultation_clore(marche=atelier.marches.get(), par=pilote, vu=S.EN_CONSULTATION)
        consultation = marche.consultations.get()
        offres = list(consultation.offres.select_related("groupement").order_by("recue_le", "pk"))
        porteur = self._porteur(atelier) if plan.jusqua == ANALYSE else None
        for rang, offre in enumerate(offres):
            criteres = criteres_notes(offre)
            valeurs = [
                Decimal(v)
                for v in (
                    NOTES_RETENUE
                    if offre.groupement.nom == retenue
                    else NOTES[offre.groupement.nom]
                )
            ]
            notes = {
                c.pk: (v, JUSTIFICATION[i])
                for i, (c, v) in enumerate(zip(criteres, valeurs, strict=True))
            }
            if porteur is not None:
                # Each member's own marks first; the collegial ones are in progress: all of the
                # first offer's, one of the second's, none yet of the third's.
                offre_noter(offre=offre, par=pilote, vu=S.EN_ANALYSE, notes=notes)
                propres = {
                    pk: (max(v - Decimal("0.5"), Decimal(0)), j) for pk, (v, j) in notes.items()
                }
                offre_noter(offre=offre, par=porteur, vu=S.EN_ANALYSE, notes=propres)
                notes = dict(list(notes.items())[: (3, 1, 0)[min(rang, 2)]])
            if notes:
                offre_noter(offre=offre, par=pilote, vu=S.EN_ANALYSE, notes=notes, collegiale=True)
        if plan.jusqua == ANALYSE:
            return
        rapport = rapport_produire(consultation=consultation, par=pilote, vu=S.EN_ANALYSE)
        rapport_signer(rapport=rapport, par=pilote)
        atelier = Atelier.objects.get(pk=atelier.pk)
        jury = [atelier.service_pilote, atelier.operateur, *atelier.collectivites.all()]
        marche = marche_attribuer(
            marche=MarcheSubsequent.objects.get(pk=marche.pk),
            par=pilote,
            vu=S.EN_ANALYSE,
            offre=next(o for o in offres if o.groupement.nom == retenue),
            accords=[o for o in jury if o is not None],
            motifs="La meilleure valeur technique, à un prix dans l'enveloppe du CCTP : une "
            "méthode d'atelier précise et une équipe complète.",
        )
        marche = marche_notifier(
            marche=marche,
            par=pilote,
            vu=S.ATTRIBUE,
            notifie_le=timezone.localdate(),
            acte_engagement=SimpleUploadedFile(
                "acte_engagement.pdf",
                _pdf(f"Acte d'engagement signé — marché {marche.reference} — {retenue}"),
                content_type="application/pdf",
            ),
        )
        execution = None
        if plan.execution:
            execution = self._executer(marche, pilote, mois)
        for etape in etapes[etapes.index("demarrer_cadrage") + 1 :]:
            atelier = Atelier.objects.get(pk=atelier.pk)
            atelier_changer_phase(atelier=atelier, transition=etape, par=pilote, vu=atelier.phase)
            tenue = {"demarrer_session_2": Jalon.SESSION_1, "demarrer_session_3": Jalon.SESSION_2}
            if execution is not None and etape in tenue:
                self._payer(execution.tranches.get(jalon=tenue[etape]), pilote, liberer=True)

    def _executer(self, marche, pilote, mois):
        """The execution opened with its échéancier, the credits of two years, the avance
        paid, the note de cadrage validated and paid."""
        ht = Offre.objects.get(
            consultation__marche=marche, groupement=marche.attributaire
        ).montant_ht
        tva = (ht * Decimal("0.2")).quantize(Decimal("0.01"))
        execution = execution_ouvrir(
            marche=marche,
            par=pilote,
            montant_ht=ht,
            montant_tva=tva,
            montant_ttc=ht + tva,
            numero_ej="2104567890",
            duree_mois=12,
            tranches=ECHEANCIER,
        )
        annee = (timezone.localdate() - datetime.timedelta(days=15 * mois)).year
        cp = ((ht + tva) * Decimal("0.6")).quantize(Decimal("1"))
        credit_enregistrer(execution=execution, par=pilote, annee=annee, ae=ht + tva, cp=cp)
        credit_enregistrer(
            execution=execution, par=pilote, annee=annee + 1, ae=Decimal(0), cp=ht + tva - cp
        )
        self._payer(execution.tranches.get(jalon=Jalon.AVANCE), pilote, liberer=False)
        self._payer(execution.tranches.get(jalon=Jalon.NOTE_CADRAGE), pilote, liberer=True)
        return execution

    def _payer(self, tranche, pilote, *, liberer):
        if liberer:
            tranche = tranche_liberer(tranche=tranche, par=pilote)
        paiement_enregistrer(
            tranche=tranche,
            par=pilote,
            date_service_fait=timezone.localdate(),
            date_mandatement=timezone.localdate(),
            montant=tranche.montant,
        )

    def _porteur(self, atelier):
        """The collectivité's demo account of an atelier (fictional person)."""
        email, prenom, nom = PORTEUR_ANALYSE
        user, cree = Utilisateur.objects.get_or_create(
            email=email, defaults={"prenom": prenom, "nom": nom}
        )
        if cree:
            user.set_password(MOT_DE_PASSE)
            user.save(update_fields=["password"])
        Adhesion.objects.get_or_create(
            utilisateur=user,
            organisation=atelier.collectivites.order_by("pk").first(),
            defaults={"fonction": "Chargée de mission habitat"},
        )
        return user

    def _dater(self, atelier):
        """Spread the atelier's journal over its months, as the others did, then date every
        row of its marché from its journal line (the services dated them « now »)."""
        mois = next(p[5] for p in ATELIERS if p[0] == atelier.intitule)
        etaler_dans_le_temps(atelier, mois)
        lignes = list(Evenement.objects.filter(atelier=atelier).order_by("date", "pk"))
        marche = atelier.marches.get()
        type_atelier = ContentType.objects.get_for_model(Atelier)

        def dates(code):
            return [(e, e.date) for e in lignes if e.code == code]

        def date(code):
            trouvees = dates(code)
            return trouvees[0][1] if trouvees else None

        ouvert, publie = date(CodeMarche.OUVERT), date(CodeMarche.PUBLIE)
        du_marche = [e.date for e in lignes if e.code.startswith("marche.")]
        notifie = date(CodeMarche.NOTIFIE)
        MarcheSubsequent.objects.filter(pk=marche.pk).update(
            ouvert_le=ouvert,
            statut_depuis=du_marche[-1],
            notifie_le=timezone.localdate(notifie) if notifie else None,
        )
        # The atelier's own steps (the sessions) name their phase as the state they changed.
        changements = [
            e.date
            for e in lignes
            if e.phase_apres or (e.objet_type_id == type_atelier.pk and e.etat_apres)
        ]
        Atelier.objects.filter(pk=atelier.pk).update(
            phase_depuis=changements[-1],
            debut_accompagnement=timezone.localdate(notifie) if notifie else None,
        )
        if publie is None:
            return
        redige = ouvert + (publie - ouvert) / 2
        PartieCctp.objects.filter(marche=marche, modifie_le__isnull=False).update(modifie_le=redige)
        PartieCctp.history.filter(marche_id=marche.pk).update(history_date=redige)
        consultations = Consultation.objects.filter(marche=marche)
        consultations.update(publiee_le=timezone.localdate(publie), cree_le=publie)
        VersionCctp.objects.filter(marche=marche).update(publiee_le=publie)
        close = date(CodeMarche.CONSULTATION_CLOSE)
        if close is not None:
            consultations.update(close_le=close, date_limite=close - datetime.timedelta(minutes=10))
        for e, le in dates(CodeConsultation.QUESTION_ENREGISTREE):
            QuestionConsultation.objects.filter(pk=e.objet_id).update(
                cree_le=le, recue_le=le - datetime.timedelta(hours=3)
            )
        for e, le in dates(CodeConsultation.REPONSE_PUBLIEE):
            QuestionConsultation.objects.filter(pk=e.objet_id).update(reponse_publiee_le=le)
        for e, le in dates(CodeOffre.ENREGISTREE):
            Offre.objects.filter(pk=e.objet_id).update(recue_le=le, enregistree_le=le)
        for code, collegiale in (
            (CodeAnalyse.NOTES_SAISIES, False),
            (CodeAnalyse.NOTES_COLLEGIALES, True),
        ):
            for e, le in dates(code):
                filtre = {"offre_id": e.objet_id, "auteur_id": e.par_id, "collegiale": collegiale}
                NoteOffre.objects.filter(**filtre).update(modifiee_le=le)
                NoteOffre.history.filter(**filtre).update(history_date=le)
        for e, le in dates(CodeAnalyse.RAPPORT_PRODUIT):
            RapportAnalyse.objects.filter(pk=e.objet_id).update(produit_le=le)
        for e, le in dates(CodeAnalyse.RAPPORT_SIGNE):
            SignatureRapport.objects.filter(rapport_id=e.objet_id, utilisateur_id=e.par_id).update(
                signe_le=le
            )
        attribue = date(CodeMarche.ATTRIBUE)
        if attribue is not None:
            Attribution.objects.filter(consultation__marche=marche).update(decidee_le=attribue)
        if notifie is not None:
            Lettre.objects.filter(consultation__marche=marche).update(creee_le=notifie)
        ouverte = date(CodeFinances.EXECUTION_OUVERTE)
        if ouverte is None:
            return
        Execution.objects.filter(marche=marche).update(ouverte_le=ouverte)
        tranches = Tranche.objects.filter(execution__marche=marche)
        tranches.filter(jalon=Jalon.AVANCE).update(exigible_le=ouverte)
        for e, le in dates(CodeFinances.CREDITS_ENREGISTRES):
            CreditAnnuel.objects.filter(pk=e.objet_id).update(modifie_le=le)
        for e, le in dates(CodeFinances.TRANCHE_EXIGIBLE):
            tranches.filter(pk=e.objet_id).update(exigible_le=le)
        for e, le in dates(CodeFinances.PAIEMENT_ENREGISTRE):
            jour = timezone.localdate(le)
            service_fait = max(jour - datetime.timedelta(days=7), timezone.localdate(notifie))
            paiement = Paiement.objects.get(pk=e.objet_id)
            Paiement.objects.filter(pk=paiement.pk).update(
                enregistre_le=le, date_service_fait=service_fait, date_mandatement=jour
            )
            tranches.filter(pk=paiement.tranche_id, statut=Tranche.Statut.PAYEE).update(
                payee_le=jour
            )


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


def _piece(nom: str, titre: str, groupement: str) -> SimpleUploadedFile:
    """A piece of an offer, as the groupement sent it on PLACE: a one-page PDF."""
    return SimpleUploadedFile(
        f"{nom}.pdf", _pdf(f"{titre} — {groupement}"), content_type="application/pdf"
    )
