"""The record types of the data API, by URL name."""

from portal.registry.server.applications import ApplicationKind
from portal.registry.server.change_requests import ChangeRequestKind
from portal.registry.server.consents import ConsentKind
from portal.registry.server.grievances import GrievanceKind
from portal.registry.server.households import HouseholdKind
from portal.registry.server.kinds import RecordKind
from portal.registry.server.persons import PersonKind

RECORD_KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        PersonKind(),
        HouseholdKind(),
        ApplicationKind(),
        GrievanceKind(),
        ConsentKind(),
        ChangeRequestKind(),
    )
}
