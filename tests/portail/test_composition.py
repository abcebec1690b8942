"""`portail` composes the stages by calling their selectors: no registry that other apps fill
is left in `ateliers` (the layers themselves: tests/test_architecture.py)."""

import ast
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
MUTATIONS = {"append", "extend", "insert", "update", "setdefault", "add"}


def _modules(application):
    for chemin in sorted((RACINE / application).rglob("*.py")):
        if "migrations" not in chemin.parts:
            yield chemin, ast.parse(chemin.read_text(), filename=str(chemin))


def _registres(arbre):
    """Module-level lists, dicts or sets built empty and filled from inside a function."""
    vides = set()
    for noeud in arbre.body:
        cibles, valeur = [], None
        if isinstance(noeud, ast.Assign):
            cibles, valeur = noeud.targets, noeud.value
        elif isinstance(noeud, ast.AnnAssign) and noeud.value is not None:
            cibles, valeur = [noeud.target], noeud.value
        vide = (isinstance(valeur, (ast.List, ast.Dict, ast.Set)) and not _elements(valeur)) or (
            isinstance(valeur, ast.Call)
            and isinstance(valeur.func, ast.Name)
            and valeur.func.id in {"list", "dict", "set"}
            and not valeur.args
        )
        if vide:
            vides |= {c.id for c in cibles if isinstance(c, ast.Name)}
    remplis = set()
    for fonction in ast.walk(arbre):
        if not isinstance(fonction, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for noeud in ast.walk(fonction):
            if (
                isinstance(noeud, ast.Call)
                and isinstance(noeud.func, ast.Attribute)
                and isinstance(noeud.func.value, ast.Name)
                and noeud.func.value.id in vides
                and noeud.func.attr in MUTATIONS
            ):
                remplis.add(noeud.func.value.id)
            if isinstance(noeud, (ast.Assign, ast.AugAssign)):
                cibles = noeud.targets if isinstance(noeud, ast.Assign) else [noeud.target]
                for cible in cibles:
                    if (
                        isinstance(cible, ast.Subscript)
                        and isinstance(cible.value, ast.Name)
                        and cible.value.id in vides
                    ):
                        remplis.add(cible.value.id)
    return remplis


def _elements(valeur):
    return valeur.keys if isinstance(valeur, ast.Dict) else valeur.elts


def test_ateliers_ne_garde_aucun_registre_que_d_autres_applications_remplissent():
    trouves = []
    for chemin, arbre in _modules("ateliers"):
        nom = chemin.relative_to(RACINE)
        trouves += [
            f"{nom}: def {n.name}"
            for n in arbre.body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("enregistrer")
        ]
        trouves += [f"{nom}: {registre}" for registre in sorted(_registres(arbre))]

    assert trouves == []


def test_le_detecteur_reconnait_un_registre():
    arbre = ast.parse(
        "_F: list = []\n"
        "_D = {}\n"
        "def enregistrer(f):\n"
        "    _F.append(f)\n"
        "def ajouter(cle, f):\n"
        "    _D[cle] = f\n"
    )

    assert _registres(arbre) == {"_F", "_D"}
