"""Les livrables des ateliers de démonstration, déposés, relus et validés par leurs rôles à
travers les services ; la clôture de l'atelier de Besançon (charger_demo_livrables)."""
