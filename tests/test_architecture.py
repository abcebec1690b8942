"""The house plan holds: arrows follow the lifecycle one way (style.md), and no module of an
app imports itself back through others, lazy imports included; the one pair allowed is « a task
calls its service, the service queues its task after commit »."""

import ast
from pathlib import Path

from django.conf import settings

# Lowest first: an app may import those before it, never those after.
COUCHES = [
    "territoires",
    "comptes",
    "documents",
    "ateliers",
    "candidatures",
    "marches",
    "livrables",
    "portail",
]
RACINE = Path(settings.BASE_DIR)


def _modules():
    """Every module of the apps (migrations aside), by dotted name."""
    modules = {}
    for app in COUCHES:
        dossier = RACINE / app
        if not dossier.exists():
            continue
        for chemin in dossier.rglob("*.py"):
            if "migrations" in chemin.parts:
                continue
            nom = ".".join(chemin.relative_to(RACINE).with_suffix("").parts)
            modules[nom.removesuffix(".__init__")] = chemin
    return modules


def _noeuds(arbre):
    """Every node of the module, those read by the type checker only (`if TYPE_CHECKING:`)
    aside: they are never imported when the portal runs."""
    for noeud in ast.iter_child_nodes(arbre):
        if isinstance(noeud, ast.If) and getattr(noeud.test, "id", "") == "TYPE_CHECKING":
            continue
        yield noeud
        yield from _noeuds(noeud)


def _imports(chemin, nom, modules):
    """The modules of the apps that this module imports, anywhere in its code."""
    paquet = nom if chemin.name == "__init__.py" else nom.rpartition(".")[0]
    cibles = set()
    for noeud in _noeuds(ast.parse(chemin.read_text(), filename=str(chemin))):
        if isinstance(noeud, ast.Import):
            cibles |= {alias.name for alias in noeud.names}
        elif isinstance(noeud, ast.ImportFrom):
            base = noeud.module or ""
            if noeud.level:
                parties = paquet.split(".")
                base = ".".join(
                    parties[: len(parties) - noeud.level + 1] + ([base] if base else [])
                )
            for alias in noeud.names:
                sous_module = f"{base}.{alias.name}"
                cibles.add(sous_module if sous_module in modules else base)
    return {c for c in cibles if c in modules}


def _graphe():
    modules = _modules()
    return {nom: _imports(chemin, nom, modules) for nom, chemin in modules.items()}


def test_les_fleches_suivent_le_cycle_de_vie_dans_un_seul_sens():
    rang = {app: i for i, app in enumerate(COUCHES)}
    montantes = sorted(
        f"{nom} → {cible}"
        for nom, cibles in _graphe().items()
        for cible in cibles
        if rang[cible.split(".")[0]] > rang[nom.split(".")[0]]
    )
    assert not montantes, "Imports vers une couche plus haute :\n" + "\n".join(montantes)


def _paire_tache_service(cycle):
    return {m.split(".")[1].split(".")[0] for m in cycle} <= {"tasks", "services"}


def test_aucun_module_ne_s_importe_lui_meme_par_d_autres():
    graphe = _graphe()
    cycles = []

    def chercher(depart, noeud, chemin):
        for suivant in graphe[noeud]:
            if suivant.split(".")[0] != depart.split(".")[0]:
                continue
            if suivant == depart:
                cycles.append([*chemin, depart])
            elif suivant not in chemin and suivant > depart:
                chercher(depart, suivant, [*chemin, suivant])

    for nom in sorted(graphe):
        chercher(nom, nom, [nom])
    # A package's __init__ re-exporting its modules is the package itself, not a circle.
    reels = [
        c
        for c in cycles
        if not _paire_tache_service(c) and not all(m == c[0] or m.startswith(c[0] + ".") for m in c)
    ]
    assert not reels, "Cycles d'imports :\n" + "\n".join(" → ".join(c) for c in reels)
