"""Pages with no form: the home page and what the portal says about its data."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal.web.visitor_pages import same_for_every_visitor

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
@same_for_every_visitor
def home():
    return render_template("pages/home.html")


@blueprint.get("/about/data")
@same_for_every_visitor
def about_data():
    return render_template("pages/about_data.html")
