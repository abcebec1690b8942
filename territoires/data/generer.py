"""Regenerate decoupage-administratif.json from the npm package @etalab/decoupage-administratif.

Run from anywhere with `python territoires/data/generer.py` (standard library and npm only). The
output keeps what the territoires models use: régions and départements of metropolitan France and
the five overseas départements, and every EPCI (à fiscalité propre, plus the Paris EPT) with the
départements of its member communes.
"""

import collections
import datetime
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
OUTPUT = Path(__file__).resolve().parent / "decoupage-administratif.json"

# Collectivités d'outre-mer have no EPCI and fall outside the State programme's scope.
ZONES = {"metro", "drom"}

# MET69 is the Métropole de Lyon, a collectivité à statut particulier listed with the EPCI.
NATURES = {"METRO": "MET", "MET69": "MET", "CU": "CU", "CA": "CA", "CC": "CC", "EPT": "EPT"}
NATURE_AUTRE = "AUTRE"

DATA_LICENCE = "Licence Ouverte"


def telecharger(directory):
    """Return the path of the package tarball packed by npm into directory, integrity included."""
    # The command line is built from this file's constants only.
    result = subprocess.run(  # noqa: S603
        ["npm", "pack", "--json", f"{PACKAGE}@{VERSION}"],  # noqa: S607
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    )
    (packed,) = json.loads(result.stdout)
    if packed["version"] != VERSION:
        raise SystemExit(f"npm a fourni la version {packed['version']} au lieu de {VERSION}.")
    return Path(directory) / packed["filename"], packed["integrity"]


def lire_paquet(tarball):
    """Return the package's data files and metadata, read from the tarball without extracting."""
    names = ["regions", "departements", "epci", "ept", "communes"]
    with tarfile.open(tarball, "r:gz") as archive:

        def lire(path):
            flux = archive.extractfile(f"package/{path}")
            if flux is None:
                raise SystemExit(f"{path} n'est pas un fichier ordinaire dans le paquet.")
            return flux.read().decode("utf-8")

        data = {name: json.loads(lire(f"data/{name}.json")) for name in names}
        data["package.json"] = json.loads(lire("package.json"))
        data["README.md"] = lire("README.md")
    return data


def nom_propre(nom):
    """Return nom with runs of whitespace collapsed to one space and no surrounding spaces."""
    return " ".join(nom.split())


def construire(data):
    """Return the trimmed referential, every list sorted by its code and every code consistent."""
    regions = sorted(
        (
            {"code": r["code"], "nom": nom_propre(r["nom"])}
            for r in data["regions"]
            if r["zone"] in ZONES
        ),
        key=lambda r: r["code"],
    )
    codes_regions = {r["code"] for r in regions}
    departements = sorted(
        (
            {"code": d["code"], "nom": nom_propre(d["nom"]), "region": d["region"]}
            for d in data["departements"]
            if d["zone"] in ZONES
        ),
        key=lambda d: d["code"],
    )
    codes_departements = {d["code"] for d in departements}
    if not {d["region"] for d in departements} <= codes_regions:
        raise SystemExit("Un département renvoie à une région absente du référentiel.")

    departement_commune = {
        c["code"]: c["departement"] for c in data["communes"] if c["type"] == "commune-actuelle"
    }
    epcis = []
    types_inconnus: collections.Counter[str] = collections.Counter()
    for groupement in data["epci"] + data["ept"]:
        communes_par_departement = collections.Counter(
            departement_commune[membre["code"]] for membre in groupement["membres"]
        )
        if not set(communes_par_departement) <= codes_departements:
            raise SystemExit(f"L'EPCI {groupement['code']} compte des communes hors référentiel.")
        nature = NATURES.get(groupement["type"], NATURE_AUTRE)
        if nature == NATURE_AUTRE:
            types_inconnus[groupement["type"]] += 1
        epcis.append(
            {
                "siren": groupement["code"],
                "nom": nom_propre(groupement["nom"]),
                "nature": nature,
                "departement": min(
                    communes_par_departement,
                    key=lambda code: (-communes_par_departement[code], code),
                ),
                "departements": sorted(communes_par_departement),
                "nombre_communes": len(groupement["membres"]),
                "population": groupement.get("populationTotale"),
            }
        )
    epcis.sort(key=lambda e: e["siren"])
    sirens = [e["siren"] for e in epcis]
    if len(set(sirens)) != len(sirens):
        raise SystemExit("Un SIREN figure deux fois parmi les EPCI et EPT.")
    for type_epci, nombre in sorted(types_inconnus.items()):
        print(f"Type d'EPCI inconnu « {type_epci} » ({nombre}) classé en {NATURE_AUTRE}.")
    return regions, departements, epcis


def ecrire(path, source, regions, departements, epcis):
    """Write the referential as stable JSON: sorted keys, one row per line, UTF-8 unescaped."""

    def texte(value):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def bloc(lignes, ouvrant, fermant):
        return ouvrant + "\n" + ",\n".join(f"    {ligne}" for ligne in lignes) + "\n  " + fermant

    blocs = {
        "departements": bloc(map(texte, departements), "[", "]"),
        "epcis": bloc(map(texte, epcis), "[", "]"),
        "regions": bloc(map(texte, regions), "[", "]"),
        "source": bloc((f"{texte(k)}: {texte(v)}" for k, v in sorted(source.items())), "{", "}"),
    }
    corps = ",\n".join(f"  {texte(cle)}: {valeur}" for cle, valeur in sorted(blocs.items()))
    path.write_text("{\n" + corps + "\n}\n", encoding="utf-8")


def main():
    """Fetch the pinned package, check it, and rewrite OUTPUT from it."""
    with tempfile.TemporaryDirectory() as directory:
        tarball, integrity = telecharger(directory)
        data = lire_paquet(tarball)
    if DATA_LICENCE not in data["README.md"]:
        raise SystemExit(f"Le README du paquet ne mentionne plus la {DATA_LICENCE} : à vérifier.")
    regions, departements, epcis = construire(data)
    source = {
        "code_licence": data["package.json"]["license"],
        "data_licence": DATA_LICENCE,
        "generated_on": datetime.date.today().isoformat(),
        "integrity": integrity,
        "package": PACKAGE,
        "version": VERSION,
    }
    ecrire(OUTPUT, source, regions, departements, epcis)
    print(
        f"{OUTPUT.name} : {len(regions)} régions, {len(departements)} départements, "
        f"{len(epcis)} EPCI ({OUTPUT.stat().st_size} octets)."
    )


if __name__ == "__main__":
    sys.exit(main())
