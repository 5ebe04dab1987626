"""Figures with nothing hidden (/figures/staff), for administrators (the
whole country) and analysts (their area: the provinces, districts or communes
of their account). Every view, page or file, is written down: who, when,
which place; administrators read that log at /figures/staff/views.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from flask import abort, redirect, render_template, url_for
from sqlalchemy import select

from portal.database import db
from portal.figures import editions, open_data, tables
from portal.figures.models import FiguresStaffView
from portal.figures.views import blueprint, known_place, render_place
from portal.web.identity import StaffMember, current_staff
from portal.web.security import roles_required

ADMIN, ANALYST = "admin", "analyst"
LOG_SHOWN = 200


def within_area(member: StaffMember, code: str) -> bool:
    if member.role == ADMIN:
        return True
    return code != tables.COUNTRY and any(code.startswith(area) for area in member.commune_codes)


def _log(member: StaffMember, code: str, format_: str) -> None:
    with db.session() as session:
        session.add(
            FiguresStaffView(
                at=dt.datetime.now(dt.UTC),
                username=member.username,
                role=member.role,
                place_code=code,
                format=format_,
            )
        )
        session.commit()


def _allowed(code: str) -> StaffMember:
    if code != tables.COUNTRY:
        known_place(code)
    member = current_staff()
    if not within_area(member, code):
        abort(403)
    return member


@blueprint.get("/staff")
@roles_required(ADMIN, ANALYST)
def staff_home():
    member = current_staff()
    if member.role == ADMIN:
        return redirect(url_for(".staff_place", code=tables.COUNTRY))
    if len(member.commune_codes) == 1:
        return redirect(url_for(".staff_place", code=member.commune_codes[0]))
    areas = [known_place(code) for code in member.commune_codes]
    return render_template("figures/staff_areas.html", areas=areas)


@blueprint.get("/staff/<code>")
@roles_required(ADMIN, ANALYST)
def staff_place(code: str):
    member = _allowed(code)
    _log(member, code, "page")
    return render_place(code, editions.for_staff(), staff=True)


@blueprint.get("/staff/<code>/figures.csv")
@roles_required(ADMIN, ANALYST)
def staff_csv(code: str):
    member = _allowed(code)
    edition = editions.for_staff()
    if edition is not None:
        places = [
            place
            for place in edition.document["places"]
            if code == tables.COUNTRY or place["code"].startswith(code)
        ]
        edition = dataclasses.replace(edition, document={**edition.document, "places": places})
    _log(member, code, "csv")
    return open_data.csv_response(edition, f"figures-all-{code}.csv", cache="no-store")


@blueprint.get("/staff/views")
@roles_required(ADMIN)
def staff_views_log():
    with db.session() as session:
        views = session.scalars(
            select(FiguresStaffView).order_by(FiguresStaffView.id.desc()).limit(LOG_SHOWN)
        ).all()
    return render_template("figures/staff_views.html", views=views)
