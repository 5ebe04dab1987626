"""The supervisors' dashboard (/backoffice/dashboard): open cases by state and
by subject, the overdue ones, the days taken to decide, per commune; bar
charts drawn on the server with the same numbers in tables, narrowed by an
optional commune and subject (sent by GET, no security token).

Supervisors only (others 403); the figures count only the cases the
supervisor may see (figures.py asks the registry with their scope)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from portal import gazetteer
from portal.backoffice.cases import figures
from portal.backoffice.cases.blueprint import blueprint
from portal.backoffice.describe import commune_name
from portal.grievances import access, categories, states
from portal.web import charts
from portal.web.forms_base import DigitsField, PortalForm
from portal.web.identity import current_staff
from portal.web.security import roles_required

__all__ = ["blueprint"]

COMMUNES_SHOWN = 20


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class DashboardFilters(PortalForm):
    class Meta:
        csrf = False

    commune = DigitsField(_l("Commune code (6 digits)"), filters=(_strip,), validators=[Optional()])
    category = SelectField(_l("Subject"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("All subjects"))] + [
            SelectChoice(name, categories.words(name)) for name in categories.CATEGORIES
        ]

    def validate_commune(self, field) -> None:
        if not gazetteer.is_commune(field.data):
            raise ValidationError(_l("Enter the 6-digit code of a commune, like 120101"))


def _place(code: str) -> str:
    return commune_name(code) if code else _("No commune given")


def _charts(found: figures.Figures) -> dict:
    shown = found.communes[:COMMUNES_SHOWN]
    timed = [row for row in shown if row.median_days is not None]
    return {
        "status": charts.chart([(states.words(s)[0], (n,)) for s, n in found.by_status]),
        "category": charts.chart([(categories.words(c), (n,)) for c, n in found.by_category]),
        "commune": charts.chart(
            [(_place(row.code), (row.open, row.overdue)) for row in shown], series=2
        ),
        "days": charts.chart([(_place(row.code), (row.median_days,)) for row in timed]),
    }


def _rows(found: figures.Figures) -> dict[str, list]:
    """The charts' numbers, for their tables."""
    return {
        "status_rows": [(states.words(s)[0], n) for s, n in found.by_status],
        "category_rows": [(categories.words(c), n) for c, n in found.by_category],
        "commune_rows": [
            (_place(row.code), row.open, row.overdue, row.median_days)
            for row in found.communes[:COMMUNES_SHOWN]
        ],
    }


def _narrowing(form: DashboardFilters) -> dict[str, str]:
    return {name: value for name in ("commune", "category") if (value := getattr(form, name).data)}


def _links(narrowing: dict[str, str]) -> dict[str, str]:
    """The queue's views and its CSV (case_views), narrowed as the dashboard is."""
    return {
        "overdue": url_for(".queue_page", view="overdue", **narrowing),
        "escalated": url_for(".queue_page", view="escalated", **narrowing),
        "export": url_for(".export_csv", **narrowing),
    }


@blueprint.get("/dashboard")
@roles_required(access.SUPERVISOR)
def dashboard():
    form = DashboardFilters(formdata=request.args)
    valid = form.validate() if request.args else True
    narrowing = _narrowing(form) if valid else {}
    found = figures.count(current_staff(), **narrowing) if valid else None
    return render_template(
        "backoffice/cases/dashboard.html",
        form=form,
        found=found,
        drawn=_charts(found) if found else None,
        communes=found.communes[:COMMUNES_SHOWN] if found else [],
        **(_rows(found) if found else {}),
        links=_links(narrowing),
    )
