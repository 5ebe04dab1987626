"""Persons and households as DCI search returns them.

A client with ``registry.read`` gets full records. A search-only client
(``registry.search`` without ``registry.read``) gets what finds a record and
nothing about the person: the record id, the SPID, and the household links
(contract schemas ``SearchOnlyMember`` and ``SearchOnlyGroup``). It then reads
the record with ``registry.read``, or not at all.

A Group's ``member_list`` holds Member objects as in the official examples:
``member_identifier`` (the SPID), ``relationship_head`` (``self`` for the
head, else the household status) and ``household_status``; a full Group adds
``demographic_info.person``, the member's full record.
"""

from __future__ import annotations


def _spid_identifier(spid: str) -> dict:
    return {"identifier_type": "SPID", "identifier_value": spid}


def full_member(person: dict) -> dict:
    """A presented person as a DCI Member: its SPID first among its identifiers."""
    return {
        **person,
        "identifier": [_spid_identifier(person["spid"]), *person.get("identifier", [])],
    }


def search_only_member(person: dict) -> dict:
    return {
        "id": person["id"],
        "spid": person["spid"],
        "identifier": [_spid_identifier(person["spid"])],
        "household_identifier": person["household_identifier"],
        "household_status": person["household_status"],
    }


def _group_member(member: dict, record: dict | None) -> dict:
    status = member["household_status"]
    shaped = {
        "member_identifier": [_spid_identifier(member["spid"])],
        "relationship_head": "self" if status == "head" else status,
        "household_status": status,
    }
    if record is not None:
        shaped["demographic_info"] = {"person": record}
    return shaped


def _group(household: dict) -> dict:
    return {
        "group_identifier": [
            {"identifier_type": "HOUSEHOLD_ID", "identifier_value": household["id"]}
        ],
        "group_head_info": {"spid": household["head_spid"]},
    }


def full_group(household: dict, members_by_spid: dict[str, dict]) -> dict:
    """A presented household as a DCI Group; ``members_by_spid``: the members'
    full Member records."""
    return {
        **household,
        **_group(household),
        "member_list": [
            _group_member(member, members_by_spid.get(member["spid"]))
            for member in household["members"]
        ],
    }


def search_only_group(household: dict) -> dict:
    return {
        "id": household["id"],
        **_group(household),
        "group_size": household["group_size"],
        "member_list": [_group_member(member, None) for member in household["members"]],
    }
