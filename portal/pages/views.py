"""Pages with no form: the home page and what the portal says about its data."""

from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
def home():
    return render_template("pages/home.html")


@blueprint.get("/about/data")
def about_data():
    return render_template("pages/about_data.html")
