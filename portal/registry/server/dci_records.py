"""Persons and households as DCI search returns them.

A client with ``registry.read`` gets full records. A search-only client
(``registry.search`` without ``registry.read``) gets what finds a record and
nothing about the person: the record id, the SPID, and the household links
(contract schemas ``SearchOnlyMember`` and ``SearchOnlyGroup``). It then reads
the record with ``registry.read``, or not at all.
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


def full_group(household: dict) -> dict:
    """A presented household as a DCI Group."""
    return {
        **household,
        "group_identifier": [
            {"identifier_type": "HOUSEHOLD_ID", "identifier_value": household["id"]}
        ],
        "group_head_info": {"spid": household["head_spid"]},
        "member_list": household["members"],
    }


def search_only_group(household: dict) -> dict:
    group = full_group(household)
    return {
        "id": group["id"],
        "group_identifier": group["group_identifier"],
        "group_head_info": group["group_head_info"],
        "group_size": group["group_size"],
        "member_list": [
            {"spid": member["spid"], "household_status": member["household_status"]}
            for member in group["member_list"]
        ],
    }
