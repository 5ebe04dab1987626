"""A small form built from the design-system macros, mounted only in tests, to
exercise fields, the error summary and the CSRF-expiry path end to end."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template_string, url_for
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.web.forms_base import DatePartsField, DigitsField, PortalForm, shows_form_again

TEMPLATE = """{% extends "layout.html" %}
{% from "components/form.html" import error_summary, text_field, date_field, radio_field, button %}
{% block title %}Sample{% endblock %}
{% block content %}
{{ error_summary(form) }}
<form method="post" novalidate>
{{ form.csrf_token }}
{{ text_field(form.phone_number, label="Phone", inputmode="numeric", autocomplete="tel") }}
{{ date_field(form.birth_date, legend="Date of birth", autocomplete_prefix="bday") }}
{{ radio_field(form.sex, legend="Sex") }}
{{ text_field(form.note, label="Note") }}
{{ button("Continue") }}
</form>
{% endblock %}"""


class SampleForm(PortalForm):
    phone_number = DigitsField(
        "Phone",
        validators=[
            InputRequired("Enter a phone number"),
            Length(min=9, max=10, message="Too short"),
        ],
    )
    birth_date = DatePartsField("Date of birth", validators=[DataRequired("Enter a date")])
    sex = RadioField(
        "Sex",
        choices=[SelectChoice("female", "Female"), SelectChoice("male", "Male")],
        validators=[InputRequired("Choose one")],
    )
    # WTForms' own message (no message given): translated by PortalForm.
    note = StringField("Note", validators=[Optional(), Length(max=64)])


blueprint = Blueprint("sample", __name__)
received: list[dict] = []


@blueprint.route("/sample", methods=["GET", "POST"])
@shows_form_again
def sample():
    form = SampleForm()
    if form.validate_on_submit():
        received.append(
            {"phone_number": form.phone_number.data, "birth_date": form.birth_date.data}
        )
        return redirect(url_for("pages.home"))
    return render_template_string(TEMPLATE, form=form)


COMPONENTS = """{% extends "layout.html" %}
{% from "components/form.html" import checkbox_field, checkboxes_field, select_field %}
{% from "components/content.html" import back_link, status_tag, summary_list,
   confirmation_panel, table, pagination, notification_banner %}
{% block title %}Components{% endblock %}
{% block back %}{{ back_link("/") }}{% endblock %}
{% block content %}
{{ confirmation_panel("Application sent", "APP-2025-000042") }}
{{ notification_banner("Saved.", "success", title="Done") }}
<p>{{ status_tag("In review", "blue") }}</p>
{{ summary_list([{"key": "Name", "value": "Sok", "href": "/sample"},
                 {"key": "Village", "value": "Ou Thum"}]) }}
{{ table("Payments", ["Month", "Amount"], [["March", 80000|riel], ["April", 80000|riel]]) }}
{{ pagination(2, 3, page_url) }}
<form method="post" action="/sample" novalidate>
{{ form.csrf_token }}
{{ checkbox_field(form.consent, label="I agree") }}
{{ checkboxes_field(form.needs, legend="What do you need?") }}
{{ select_field(form.province, label="Province") }}
</form>
{% endblock %}"""


class ComponentsForm(PortalForm):
    consent = BooleanField("I agree")
    needs = SelectMultipleField(
        "Needs",
        choices=[SelectChoice("food", "Food"), SelectChoice("school", "School")],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    province = SelectField(
        "Province",
        choices=[SelectChoice("01", "Banteay Meanchey"), SelectChoice("12", "Phnom Penh")],
    )


@blueprint.get("/sample/components")
def components():
    return render_template_string(
        COMPONENTS,
        form=ComponentsForm(),
        page_url=lambda page: url_for("sample.components", page=page),
    )
