"""The two annexes of the note d'opportunité: what the territory is going through, and the
plans, projects and contracts already there."""

from django.db import models
from simple_history.models import HistoricalRecords

from candidatures.models.partie import BlocDeLignes, Colonne, PartieNote, _bloc, _texte


class DynamiquesTerritoire(PartieNote):
    """Annexe 1 — les dynamiques du territoire : what the territory is going through."""

    REQUIS = ("demographie", "economie", "habitat", "mobilites", "environnement")
    CHAMPS = (
        "demographie",
        "economie",
        "habitat",
        "mobilites",
        "environnement",
        "risques",
        "ressources_naturelles",
    )

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="dynamiques_territoire"
    )
    demographie = _texte(
        "démographie",
        aide="Évolution de la population, vieillissement, taille des ménages, soldes naturel "
        "et migratoire ; les chiffres clés et leur tendance.",
    )
    economie = _texte(
        "économie et emploi",
        aide="Activités dominantes, zones d'activités, agriculture, tourisme, emplois et "
        "déplacements domicile-travail.",
    )
    habitat = _texte(
        "habitat et logement",
        aide="Parc de logements, vacance, besoins, prix, consommation foncière et projets "
        "d'habitat.",
    )
    mobilites = _texte(
        "mobilités",
        aide="Infrastructures, offre de transport, usage de la voiture, mobilités actives.",
    )
    environnement = _texte(
        "environnement et paysage",
        aide="Milieux naturels, trame verte et bleue, paysages et patrimoine, énergie.",
    )
    risques = _texte(
        "risques",
        aide="Si le territoire est concerné : inondation, submersion, "
        "érosion du trait de côte, sécheresse, mouvements de terrain, risques technologiques.",
    )
    ressources_naturelles = _texte(
        "ressources naturelles (eau, sols, biodiversité)",
        aide="Si le territoire est concerné : état et usages de la ressource "
        "en eau, artificialisation et qualité des sols, biodiversité.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "annexe 1 — les dynamiques du territoire"

    def __str__(self):
        return "Annexe 1 — Les dynamiques du territoire"


class DynamiquesAmenagement(PartieNote):
    """Annexe 2 — les dynamiques d'aménagement : plans, projets and contracts already there."""

    class TypeDocument(models.TextChoices):
        SCOT = "scot", "SCOT"
        PLU = "plu", "PLU"
        PLUI = "plui", "PLUi"
        PCAET = "pcaet", "PCAET"
        PLH = "plh", "PLH"
        PDM = "pdm", "PDM (plan de mobilité)"
        SRADDET = "sraddet", "SRADDET"
        AUTRE = "autre", "Autre"

    class EtatDocument(models.TextChoices):
        EN_VIGUEUR = "en_vigueur", "En vigueur"
        EN_ELABORATION = "en_elaboration", "En élaboration"
        EN_REVISION = "en_revision", "En révision"

    REQUIS = ("documents_planification", "projets")
    CHAMPS = ("documents_planification", "projets", "contrats", "ingenierie")
    BLOCS = {
        "documents_planification": BlocDeLignes(
            colonnes={
                "type": Colonne("Document", choix=tuple(TypeDocument.choices)),
                "intitule": Colonne("Intitulé"),
                "etat": Colonne("État", choix=tuple(EtatDocument.choices)),
                "date": Colonne("Date d'approbation ou de prescription", date=True),
            },
            requis=("type", "etat"),
        )
    }

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="dynamiques_amenagement"
    )
    documents_planification = _bloc(
        "documents de planification",
        "Les documents qui couvrent le périmètre (SCOT, PLU ou PLUi, PCAET, PLH, plan de "
        "mobilité, SRADDET…) et où ils en sont. Une ligne par document.",
    )
    projets = _texte(
        "projets d'aménagement en cours",
        aide="Les opérations engagées ou envisagées sur le périmètre : ZAC, renouvellement "
        "urbain, friches, équipements, infrastructures ; qui les porte et où elles en sont.",
    )
    contrats = _texte(
        "contrats et programmes",
        aide="Les contrats et programmes dont le territoire bénéficie, par "
        "exemple une ORT (opération de revitalisation de territoire), Petites villes de demain "
        "(PVD), Action cœur de ville (ACV), un CRTE (contrat pour la réussite de la transition "
        "écologique).",
    )
    ingenierie = _texte(
        "accompagnements en ingénierie déjà reçus",
        aide="Études, ateliers ou appuis déjà menés sur ce territoire (agence "
        "d'urbanisme, CAUE, Cerema, ANCT…), pour que l'atelier s'appuie dessus sans les refaire.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "annexe 2 — les dynamiques d'aménagement"

    def __str__(self):
        return "Annexe 2 — Les dynamiques d'aménagement"
