"""Every text the engine shows: reasons, next steps, documents, places, payments.

Texts are defined with ``lazy_gettext`` (``_l``) so ``pybabel extract -k _l``
finds them, and are turned into ``str`` when a result is built: in the current
request's language, or the English source outside a request. YAML files refer
to them by code; ``rules.py`` rejects a code that has no text here.
"""

from __future__ import annotations

import datetime
import weakref
from typing import Any

from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l

from portal.i18n import format_date, format_number

# rule code → (text when the rule is met, when it is not met, when it is unknown)
REASONS: dict[str, tuple[Any, Any, Any]] = {
    "idpoor_level_1_or_2": (
        _l("Your household has an IDPoor Equity Card, Level 1 or 2."),
        _l("Your household has no IDPoor Equity Card of Level 1 or 2."),
        _l("We do not know if your household has an IDPoor Equity Card."),
    ),
    "equity_card_valid": (
        _l("Your Equity Card has not expired."),
        _l("Your Equity Card has expired."),
        _l("We do not know when your Equity Card expires."),
    ),
    "woman": (
        _l("You are a woman."),
        _l("This programme is for women."),
        _l("We do not know if you are a woman or a man."),
    ),
    "pregnant_or_child_under_2": (
        _l("You are pregnant or you look after a child under 2 years old."),
        _l("You are not pregnant and you do not look after a child under 2 years old."),
        _l("We do not know if you are pregnant or look after a child under 2 years old."),
    ),
    "formal_sector_worker": (
        _l("You are an NSSF member, a civil servant or public contract staff."),
        _l("You are not an NSSF member, a civil servant or public contract staff."),
        _l("We do not know what work you do."),
    ),
    "enrolled_grade_1_to_12": (
        _l("You are in school, in grade 1 to 12."),
        _l("You are not in school in grade 1 to 12."),
        _l("We do not know if you are in school, or in which grade."),
    ),
    "attendance_at_least_80": (
        _l("You go to school on at least 80 percent of school days."),
        _l("You go to school on less than 80 percent of school days."),
        _l("We do not know how often you go to school."),
    ),
    "disability_card": (
        _l("You have a disability card from the Ministry of Social Affairs."),
        _l("You do not have a disability card."),
        _l("We do not know if you have a disability card."),
    ),
    "age_60_or_over": (
        _l("You are 60 years old or older."),
        _l("You are under 60 years old."),
        _l("We do not know your date of birth."),
    ),
    "household_member_with_hiv": (
        _l("Someone in your household is living with HIV."),
        _l("No one in your household is living with HIV."),
        _l("We do not know if someone in your household is living with HIV."),
    ),
    "self_employed": (
        _l("You work for yourself (self-employed)."),
        _l("This is for people who work for themselves (self-employed)."),
        _l("We do not know what work you do."),
    ),
    "nssf_employee": (
        _l("Your employer pays NSSF contributions for you."),
        _l("This is for employees whose employer pays NSSF contributions."),
        _l("We do not know what work you do."),
    ),
    "pregnant_or_recent_birth": (
        _l("You are pregnant or gave birth in the last 3 months."),
        _l("You are not pregnant and did not give birth in the last 3 months."),
        _l("We do not know if you are pregnant or have just given birth."),
    ),
    "nssf_contributions_9_of_12_months": (
        _l("NSSF contributions were paid for you in at least 9 of the last 12 months."),
        _l("NSSF contributions were paid for you in fewer than 9 of the last 12 months."),
        _l("We do not know in how many of the last 12 months NSSF contributions were paid."),
    ),
    "nssf_pension_12_months": (
        _l("You have paid into the NSSF pension for 12 months or more."),
        _l("You have paid into the NSSF pension for less than 12 months."),
        _l("We do not know for how many months you have paid into the NSSF pension."),
    ),
    "nssf_pension_under_12_months": (
        _l("You have paid into the NSSF pension for less than 12 months."),
        _l("You have paid into the NSSF pension for 12 months or more, so you get a pension."),
        _l("We do not know for how many months you have paid into the NSSF pension."),
    ),
}

# Reasons that belong to a result as a whole, not to one rule.
STATUS_REASONS: dict[str, Any] = {
    "programme_ended": _l("This programme has ended. Its last payments closed on %(date)s."),
    "programme_not_started": _l("This programme had not started on %(date)s."),
    "idpoor_not_verified": _l(
        "Your IDPoor level is what you told us. An officer will check it in the IDPoor list."
    ),
    "amount_set_by_programme": _l("The programme sets the amount."),
    "contribution_cost": _l(
        "This is not money for you: you pay %(amount)s riel a month and NSSF covers "
        "your health care."
    ),
}

NEXT_STEPS: dict[str, Any] = {
    "idpoor_on_demand": _l("Ask your commune office for an on-demand IDPoor assessment."),
    "idpoor_reidentify": _l(
        "Your Equity Card has expired. Ask your commune office for an on-demand IDPoor "
        "assessment to be identified again."
    ),
    "check_equity_card": _l("Look at your Equity Card: it shows your level and its end date."),
    "answer_questions": _l("Answer the questions left, so we can give you a clear answer."),
    "officer_will_verify": _l("An officer will check your IDPoor level before you are paid."),
    "bring_equity_card_and_id": _l(
        "Bring your Equity Card and national ID card to the commune office."
    ),
    "bring_equity_card_and_id_or_birth_certificate": _l(
        "Bring your Equity Card and your national ID card or birth certificate to the "
        "commune office."
    ),
    "show_equity_card_at_health_facility": _l(
        "Show your Equity Card at a public health centre or hospital."
    ),
    "register_at_school": _l("Register for the scholarship at your school."),
    "attend_school": _l("Go to school on at least 80 percent of school days."),
    "visit_health_centre": _l(
        "Go to your health centre for pregnancy and baby check-ups. Each visit is paid."
    ),
    "get_disability_card": _l("Ask your commune office how to get a disability card."),
    "show_disability_card": _l("Show your disability card to get these benefits."),
    "register_nssf_self_employed": _l("Register at an NSSF office as a self-employed person."),
    "claim_nssf_maternity": _l(
        "Ask your employer or the NSSF office to claim the maternity allowance."
    ),
    "claim_nssf_pension": _l(
        "Go to the NSSF office with your NSSF card and national ID to claim your pension."
    ),
    "claim_nssf_refund": _l(
        "Go to the NSSF office with your NSSF card and national ID to get your contributions back."
    ),
    "see_other_programmes": _l("Look at the other programmes on this page."),
}

DOCUMENTS: dict[str, Any] = {
    "equity_card": _l("IDPoor Equity Card (the original)"),
    "national_id": _l("National ID card"),
    "birth_certificate": _l("Birth certificate"),
    "disability_card": _l("Disability card"),
    "nssf_card": _l("NSSF card"),
}

PLACES: dict[str, Any] = {
    "commune_office": _l("Your commune office"),
    "school": _l("Your school"),
    "health_centre": _l("A public health centre or hospital"),
    "nssf_office": _l("An NSSF office"),
    "employer": _l("Your employer"),
}

PAYMENT_EVENTS: dict[str, Any] = {
    "antenatal_visit": _l("Pregnancy check-up at a health centre"),
    "delivery": _l("Giving birth"),
    "postnatal_visit": _l("Check-up or vaccination of your baby under 2"),
}

PAYMENT_NOTES: dict[str, Any] = {
    "delivery_in_health_facility": _l("Only if you give birth at a health centre or hospital."),
}

# What each programme gives, in plain words (for display next to its name).
BENEFITS: dict[str, Any] = {
    "health_equity_fund": _l(
        "Free care at public health centres and hospitals, with help for transport and "
        "food for one carer."
    ),
    "pregnancy_child_cash": _l(
        "Money for each pregnancy check-up, for giving birth, and for each check-up of "
        "your baby until age 2."
    ),
    "scholarship": _l("Money every month while you study in grades 1 to 12."),
    "disability_allowance": _l("Money for a person with a disability in a poor household."),
    "elderly_allowance": _l("Money for a person aged 60 or over in a poor household."),
    "hiv_allowance": _l("Money every month for a poor household with a member living with HIV."),
    "disability_card_benefits": _l(
        "Priority for jobs, cheaper or free state buses, and free rehabilitation."
    ),
    "nssf_voluntary_health": _l(
        "Health care for you, your husband or wife, and your children under 18 with no "
        "income, for a monthly contribution."
    ),
    "nssf_maternity_allowance": _l(
        "90 days of pay at 70 percent of your wage, plus 50 percent from your employer."
    ),
    "nssf_old_age_pension": _l("A pension every month."),
    "nssf_pension_refund": _l("Your pension contributions paid back at once."),
    "covid19_cash": _l("Money for poor households during COVID-19."),
}

STATUS_INDEX = {True: 0, False: 1, None: 2}
STATE_SUFFIX = ("met", "not_met", "unknown")

# Translated texts per catalogue, so each text is looked up once, not once per result.
_SOURCE_TEXTS: dict[int, str] = {}
_TRANSLATED_TEXTS: weakref.WeakKeyDictionary[Any, dict[int, str]] = weakref.WeakKeyDictionary()


class Language:
    """The current language (the request's; the English source outside a request).

    Make one per evaluation: ``text`` turns the lazy texts above into ``str``,
    caching each per catalogue (they are module constants, so ``id`` is stable).
    """

    __slots__ = ("_texts", "locale")

    def __init__(self) -> None:
        locale = get_locale()
        if locale is None:
            self.locale = "en"
            self._texts = _SOURCE_TEXTS
        else:
            self.locale = str(locale)
            translations = get_translations()
            texts = _TRANSLATED_TEXTS.get(translations)
            if texts is None:
                texts = _TRANSLATED_TEXTS[translations] = {}
            self._texts = texts

    def text(self, template: Any, **params: Any) -> str:
        """The text of ``template`` in this language, with ``params`` filled in."""
        found = self._texts.get(id(template))
        if found is None:
            found = self._texts[id(template)] = str(template)
        return found % params if params else found

    def coded(self, code: str, table: dict[str, Any], **params: Any) -> dict[str, str]:
        """``{"code": code, "text": ...}`` for a code from one of the tables above."""
        return {"code": code, "text": self.text(table[code], **params)}

    def rule_reason(self, rule: str, value: bool | None) -> dict[str, str]:
        """The reason naming ``rule``: met, not met or unknown; the code ends in that state."""
        index = STATUS_INDEX[value]
        return {"code": f"{rule}_{STATE_SUFFIX[index]}", "text": self.text(REASONS[rule][index])}

    @staticmethod
    def day(day: datetime.date) -> str:
        """A date for reading, for example "24 April 2024" (Khmer digits in Khmer)."""
        return format_date(day)

    @staticmethod
    def riel(amount: int) -> str:
        """A whole riel amount for reading, for example "15,600"."""
        return format_number(amount)
