"""La démo des marchés (manage.py charger_demo_marches), une étape par module."""
