"""The dsfr_crispy template pack: DSFR field markup, error states and the error summary."""

import datetime
import re

import pytest
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Button, ButtonHolder, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.template import engines
from django.test import RequestFactory
from dsfr.forms import DsfrBaseForm

CHOIX = [("oui", "Oui"), ("non", "Non")]


class FormulaireEssai(DsfrBaseForm):
    nom = forms.CharField(
        label="Nom de la commune", help_text="Comme au code officiel géographique"
    )
    commentaire = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea)
    accord = forms.BooleanField(label="J’ai lu le règlement")
    reponse = forms.ChoiceField(label="Réponse", choices=CHOIX, widget=forms.RadioSelect)
    themes = forms.MultipleChoiceField(
        label="Thèmes", choices=CHOIX, widget=forms.CheckboxSelectMultiple
    )
    departement = forms.ChoiceField(label="Département", choices=[("", "---"), *CHOIX])

    def clean(self):
        if self.cleaned_data.get("nom") == "Interdite":
            raise ValidationError("Cette commune ne peut pas candidater.")
        return self.cleaned_data


VALIDES = {
    "nom": "Voiron",
    "accord": "on",
    "reponse": "oui",
    "themes": ["non"],
    "departement": "oui",
}


def rendre(gabarit, **contexte):
    requete = RequestFactory().get("/")
    return (
        engines["django"]
        .from_string("{% load crispy_forms_tags %}" + gabarit)
        .render(contexte, request=requete)
    )


def balise(html, identifiant):
    return re.search(rf'<(?:input|textarea|select)[^>]*\bid="{identifiant}"[^>]*>', html).group(0)


def attribut(tag, nom):
    trouve = re.search(rf'\b{nom}="([^"]*)"', tag)
    return trouve.group(1) if trouve else None


def element_par_id(html, identifiant):
    return re.search(rf'<div[^>]*\bid="{identifiant}"[^>]*>(.*?)</div>', html, re.S).group(1)


@pytest.fixture(params=["{% crispy form %}", "{{ form|crispy }}"], ids=["tag", "filtre"])
def gabarit(request):
    return request.param


def test_un_formulaire_vierge_suit_le_dsfr(gabarit):
    html = rendre(gabarit, form=FormulaireEssai())

    assert 'class="fr-input-group"' in html
    assert attribut(balise(html, "id_nom"), "class") == "fr-input"
    assert '<span class="fr-hint-text" id="id_nom_helptext">' in html
    assert "Commentaire (facultatif)" in html
    assert "fr-checkbox-group" in html
    assert 'class="fr-select"' in html
    assert "error" not in html
    assert "Le formulaire contient" not in html


def test_un_champ_en_erreur_est_relie_a_son_message(gabarit):
    html = rendre(gabarit, form=FormulaireEssai(data={**VALIDES, "nom": ""}))

    assert "fr-input-group fr-input-group--error" in html
    champ = balise(html, "id_nom")
    assert attribut(champ, "aria-invalid") == "true"
    decrit_par = attribut(champ, "aria-describedby")
    assert decrit_par == "id_nom-desc-error"
    message = element_par_id(html, decrit_par)
    assert '<p class="fr-error-text">Ce champ est obligatoire.</p>' in message


def test_le_resume_compte_les_erreurs_et_mene_a_chaque_champ(gabarit):
    html = rendre(gabarit, form=FormulaireEssai(data={"commentaire": "Rien"}))

    resume = re.search(
        r'<div class="fr-alert fr-alert--error[^"]*" role="alert">(.*?)</div>', html, re.S
    )
    assert resume, html
    resume = resume.group(1)
    assert "Le formulaire contient 5 erreurs" in resume
    assert '<a href="#id_nom">Nom de la commune : Ce champ est obligatoire.</a>' in resume
    assert '<a href="#id_accord">' in resume
    assert '<a href="#id_reponse_0">' in resume
    assert '<a href="#id_themes_0">' in resume
    assert '<a href="#id_departement">' in resume
    for cible in ("id_nom", "id_accord", "id_reponse_0", "id_themes_0", "id_departement"):
        assert f'id="{cible}"' in html
    assert html.index("Le formulaire contient") < html.index('id="id_nom"')


def test_une_erreur_generale_figure_dans_le_resume(gabarit):
    html = rendre(gabarit, form=FormulaireEssai(data={**VALIDES, "nom": "Interdite"}))

    assert "Le formulaire contient 1 erreur<" in html
    assert "<li>Cette commune ne peut pas candidater.</li>" in html


def test_cases_et_boutons_radio_en_erreur(gabarit):
    html = rendre(gabarit, form=FormulaireEssai(data={"nom": "Voiron"}))

    assert "fr-checkbox-group fr-checkbox-group--error" in html
    assert attribut(balise(html, "id_accord"), "aria-describedby") == "id_accord-desc-error"
    assert html.count("fr-fieldset fr-fieldset--error") == 2
    assert 'aria-labelledby="id_reponse-legend id_reponse-desc-error"' in html
    assert attribut(balise(html, "id_reponse_0"), "aria-describedby") == "id_reponse-desc-error"
    assert "fr-select-group fr-select-group--error" in html
    assert '<div class="fr-messages-group" id="id_themes-desc-error">' in html


class FormulaireMisEnPage(FormulaireEssai):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "candidature"
        self.helper.layout = Layout(
            Fieldset(
                "La commune",
                Row(Column("nom"), Column("departement", css_class="fr-col-12 fr-col-md-4")),
                "commentaire",
            ),
            "accord",
            "reponse",
            "themes",
            ButtonHolder(
                Submit("enregistrer", "Enregistrer"),
                Button("annuler", "Annuler", css_class="fr-btn--secondary"),
                StrictButton("Aperçu"),
            ),
        )


def test_la_mise_en_page_utilise_la_grille_et_les_groupes_du_dsfr():
    html = rendre("{% crispy form %}", form=FormulaireMisEnPage())

    assert '<form id="candidature" method="post" novalidate>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<fieldset class="fr-fieldset">' in html
    assert '<legend class="fr-fieldset__legend">La commune</legend>' in html
    assert '<div class="fr-grid-row fr-grid-row--gutters">' in html
    assert '<div class="fr-col-12 fr-col-md">' in html
    assert '<div class="fr-col-12 fr-col-md-4">' in html
    assert '<div class="fr-btns-group fr-btns-group--inline-md">' in html
    enregistrer = re.search(r"<button[^>]*>Enregistrer</button>", html).group(0)
    assert 'type="submit"' in enregistrer
    assert 'name="enregistrer"' in enregistrer
    assert 'class="fr-btn"' in enregistrer
    assert 'class="fr-btn fr-btn--secondary">Annuler</button>' in html
    assert '<button class="fr-btn" type="button">Aperçu</button>' in html
    assert "btn-primary" not in html


def test_la_mise_en_page_garde_le_resume_des_erreurs():
    html = rendre("{% crispy form %}", form=FormulaireMisEnPage(data={**VALIDES, "nom": ""}))

    assert '<a href="#id_nom">Nom de la commune : Ce champ est obligatoire.</a>' in html
    assert attribut(balise(html, "id_nom"), "aria-describedby") == "id_nom-desc-error"


class LigneEssai(DsfrBaseForm):
    nom = forms.CharField(label="Nom")


LignesEssai = forms.formset_factory(LigneEssai, extra=2, min_num=1, validate_min=True)


@pytest.mark.parametrize("gabarit_formset", ["{% crispy formset %}", "{{ formset|crispy }}"])
def test_un_formset_resume_ses_erreurs_et_mene_aux_champs(gabarit_formset):
    formset = LignesEssai(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-nom": "",
            "form-1-nom": "",
        }
    )

    html = rendre(gabarit_formset, formset=formset)

    assert 'name="form-TOTAL_FORMS"' in html
    assert "Le formulaire contient 2 erreurs" in html
    assert "<li>Veuillez soumettre au moins 1 formulaire.</li>" in html
    assert '<a href="#id_form-0-nom">Nom : Ce champ est obligatoire.</a>' in html
    champ = balise(html, "id_form-0-nom")
    assert attribut(champ, "aria-describedby") == "id_form-0-nom-desc-error"
    assert "fr-error-text" in element_par_id(html, "id_form-0-nom-desc-error")
    assert attribut(balise(html, "id_form-1-nom"), "aria-describedby") is None


def test_les_cases_et_boutons_radio_n_ont_que_des_attributs_html(gabarit):
    html = rendre(gabarit, form=FormulaireEssai())

    assert "fr-radio-group" in html and "fr-checkbox-group" in html
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "dsfr=" not in html


def test_une_date_lisible_par_la_machine_s_arrete_a_la_seconde():
    moment = datetime.datetime(2026, 2, 3, 13, 32, 5, 156145, tzinfo=datetime.UTC)
    html = (
        engines["django"]
        .from_string('{% load portail %}<time datetime="{{ moment|iso8601 }}">')
        .render({"moment": moment})
    )

    assert html == '<time datetime="2026-02-03T14:32:05+01:00">'
