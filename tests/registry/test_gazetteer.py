"""The gazetteer: places by code with Khmer and English names."""

from portal import gazetteer


def test_village_path_names_every_level():
    path = gazetteer.village_path("01020101")
    assert path["province"] == {
        "code": "01",
        "name_km": "បន្ទាយមានជ័យ",
        "name_en": "Banteay Meanchey",
    }
    assert path["district"]["code"] == "0102"
    assert path["commune"]["code"] == "010201"
    assert path["village"]["name_en"] == "Ou Thum"


def test_codes_must_be_exact():
    assert gazetteer.is_village("01020101")
    for wrong in ("1020101", "01020199", "0102010１", "០១០២០១០១", "", None, 1020101):
        assert not gazetteer.is_village(wrong)
    assert gazetteer.is_commune("010201") and not gazetteer.is_commune("10201")


def test_pickers_list_children_of_a_code():
    assert len(gazetteer.provinces()) == 25
    assert {d.code[:2] for d in gazetteer.districts("12")} == {"12"}
    communes = gazetteer.communes("0102")
    assert communes and all(c.code.startswith("0102") for c in communes)
    villages = gazetteer.villages("010201")
    assert villages[0].code == "01020101" and villages[0].name_km == "អូរធំ"
    assert gazetteer.villages("999999") == []
