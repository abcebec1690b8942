"""Trigram indexes for the search of the list of ateliers (`icontains` on the title and the
communes), on PostgreSQL only: SQLite runs the same query without them."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Django's `icontains` on PostgreSQL compares UPPER(column::text): the indexes match it.
INDEX = {
    "atelier_intitule_trgm": "intitule",
    "atelier_communes_trgm": "communes",
}


def creer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nom, champ in INDEX.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {nom} ON ateliers_atelier "
            f"USING gin ((UPPER({champ}::text)) gin_trgm_ops)"
        )


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nom in INDEX:
        schema_editor.execute(f"DROP INDEX IF EXISTS {nom}")


class Migration(migrations.Migration):
    dependencies = [("ateliers", "0003_journal_ajout_seul")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(creer, supprimer, elidable=False),
    ]
