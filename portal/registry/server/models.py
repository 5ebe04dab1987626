"""SQLAlchemy models of the reference registry.

Each record type keeps the document the client wrote (``data``) beside the
columns the registry searches, sorts and constrains on. The schema itself is
created only by the Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

JSONDocument = JSON().with_variant(JSONB(), "postgresql")
UTCDateTime = DateTime(timezone=True)
DEDUP_KEY_TYPE = String(500).with_variant(String(500, collation="C"), "postgresql")


class Base(DeclarativeBase):
    pass


class RecordColumns:
    """Columns every record type has: client id, version, who and when."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_by: Mapped[str] = mapped_column(String(200), nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # Optimistic locking: UPDATE ... WHERE version = <read version>.
        return {"version_id_col": cls.__table__.c.version}


class Person(RecordColumns, Base):
    __tablename__ = "persons"

    spid: Mapped[str] = mapped_column(String(11), nullable=False, unique=True)
    nin: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    birth_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    sex: Mapped[str] = mapped_column(String(10), nullable=False)
    province_code: Mapped[str | None] = mapped_column(String(2), index=True)
    district_code: Mapped[str | None] = mapped_column(String(4), index=True)
    commune_code: Mapped[str | None] = mapped_column(String(6), index=True)
    village_code: Mapped[str | None] = mapped_column(String(8), index=True)
    # Byte order ("C") on PostgreSQL: a search by name is a prefix match on this
    # key, and only a C-ordered index serves LIKE 'prefix%' and its range.
    dedup_key: Mapped[str | None] = mapped_column(DEDUP_KEY_TYPE, index=True)
    registration_date: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)


# Byte order ("C") on PostgreSQL: a name search is a prefix range on this key.
NAME_KEY_TYPE = String(200).with_variant(String(200, collation="C"), "postgresql")


class PersonNameKey(Base):
    """One searchable word of a person's name (see ``name_search``), with the
    person's commune so that an officer's search reads only their communes."""

    __tablename__ = "person_name_keys"
    __table_args__ = (
        # A search in communes reads this index alone (person_id included).
        Index("ix_person_name_keys_commune_code_key", "commune_code", "key", "person_id"),
        Index("ix_person_name_keys_key", "key"),
        Index("ix_person_name_keys_person_id_key", "person_id", "key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), nullable=False)
    commune_code: Mapped[str | None] = mapped_column(String(6))
    key: Mapped[str] = mapped_column(NAME_KEY_TYPE, nullable=False)


class PersonPhone(Base):
    __tablename__ = "person_phones"
    __table_args__ = (Index("ix_person_phones_person_id_e164", "person_id", "e164", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), nullable=False)
    e164: Mapped[str] = mapped_column(String(20), nullable=False, index=True)


class Household(RecordColumns, Base):
    __tablename__ = "households"

    status: Mapped[str] = mapped_column(String(16), nullable=False)
    village_code: Mapped[str | None] = mapped_column(String(8), index=True)


class HouseholdMember(Base):
    __tablename__ = "household_members"

    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    household_id: Mapped[str] = mapped_column(
        ForeignKey("households.id"), nullable=False, index=True
    )
    household_status: Mapped[str] = mapped_column(String(16), nullable=False)


class Application(RecordColumns, Base):
    __tablename__ = "applications"
    # A commune officer's own submissions for the people they helped.
    __table_args__ = (Index("ix_applications_created_by", "created_by"),)

    status: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    programme_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    applicant_spid: Mapped[str] = mapped_column(String(11), nullable=False, index=True)
    # Read aloud with a person or an id, so not unique (AP-<year>-<6 digits>).
    reference: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    commune_code: Mapped[str | None] = mapped_column(String(6), index=True)


class Grievance(RecordColumns, Base):
    __tablename__ = "grievances"
    # The grievances a commune officer reported for someone.
    __table_args__ = (Index("ix_grievances_created_by", "created_by"),)

    # Read aloud with a phone number, a PIN or a person, so not unique (GR-<year>-<6 digits>).
    reference: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    category: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    commune_code: Mapped[str | None] = mapped_column(String(6), index=True)
    complainant_spid: Mapped[str | None] = mapped_column(String(11), index=True)
    contact_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(200), index=True)
    programme_id: Mapped[str | None] = mapped_column(String(64), index=True)
    confidential: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    appeal_of: Mapped[str | None] = mapped_column(String(36), index=True)
    acknowledge_by: Mapped[date | None] = mapped_column(Date)
    resolve_by: Mapped[date | None] = mapped_column(Date, index=True)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # The usernames who must never see the case, as " a b " (searchable with LIKE).
    excluded_staff: Mapped[str | None] = mapped_column(Text)


class Consent(RecordColumns, Base):
    __tablename__ = "consents"

    state: Mapped[str] = mapped_column(String(16), nullable=False)
    purpose: Mapped[str] = mapped_column(String(40), nullable=False)
    individual_spid: Mapped[str] = mapped_column(String(11), nullable=False, index=True)


class ChangeRequest(RecordColumns, Base):
    __tablename__ = "change_requests"

    status: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    person_spid: Mapped[str] = mapped_column(String(11), nullable=False, index=True)


class HistoryEntry(Base):
    """A status change, reply or note on a record: never overwritten."""

    __tablename__ = "history_entries"
    __table_args__ = (
        Index("ix_history_entries_record", "record_type", "record_id"),
        Index("ix_history_entries_actor_at", "actor", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(32), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    reason: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # How the actor reached the registry (web, officer, sms, call_centre), if said.
    channel: Mapped[str | None] = mapped_column(String(16))


class AccessLogEntry(Base):
    """One read or write of a person's data: who, for whom, why, when."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_person_id_at", "person_id", "at"),
        Index("ix_access_log_actor_at", "actor", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(36), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(200), nullable=False)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    channel: Mapped[str | None] = mapped_column(String(16))


class OAuthClient(Base):
    __tablename__ = "oauth_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    scopes: Mapped[str] = mapped_column(String(500), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Where DCI callbacks (on-search, notify, ...) go: the client's base address,
    # registered by the registry's operator; never taken from a message.
    callback_url: Mapped[str | None] = mapped_column(String(500))


class OAuthToken(Base):
    """Issued bearer tokens, stored by SHA-256 of the token (never the token)."""

    __tablename__ = "oauth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(
        ForeignKey("oauth_clients.client_id"), nullable=False, index=True
    )
    scope: Mapped[str] = mapped_column(String(500), nullable=False)
    issued_at: Mapped[int] = mapped_column(Integer, nullable=False)
    expires_in: Mapped[int] = mapped_column(Integer, nullable=False)
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DciMessage(Base):
    """DCI message ids already received, so a repeated message_id is rejected."""

    __tablename__ = "dci_messages"

    sender_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ClientSigningKey(Base):
    """A DCI sender's ed25519 public key, by its key id (the ``kidId`` of its
    message signatures: ``{sender_id}|{key_id}|ed25519``)."""

    __tablename__ = "client_signing_keys"

    client_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("oauth_clients.client_id"), primary_key=True
    )
    key_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(100), nullable=False)  # base64, 32 bytes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DciTransaction(Base):
    """An asynchronous DCI request received (search, subscribe, unsubscribe,
    txn-status): what was asked, by whom, and its answer once made. Its id is
    the ``correlation_id`` of the acknowledgement and of the callback."""

    __tablename__ = "dci_transactions"
    __table_args__ = (
        Index("ix_dci_transactions_client_transaction", "client_id", "transaction_id"),
        Index("ix_dci_transactions_status", "status", "received_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    sender_id: Mapped[str] = mapped_column(String(200), nullable=False)
    transaction_id: Mapped[str] = mapped_column(String(100), nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(4), nullable=False)  # rcvd | pdng | succ | rjct
    request: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    answer: Mapped[dict | None] = mapped_column(JSONDocument)
    actor: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    full_records: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # When a worker took it (status pdng); taken again when left there too long.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DciTransactionReference(Base):
    """A ``reference_id`` of a request item of a DCI transaction, so that
    ``txn/status`` finds a client's transaction by its reference ids."""

    __tablename__ = "dci_transaction_references"

    transaction_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("dci_transactions.id"), primary_key=True
    )
    reference_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class DciCallback(Base):
    """A message the registry sends to a client's registered callback address
    (on-search, on-subscribe, on-unsubscribe, txn/on-status, notify), kept
    until delivered, retried with growing pauses, parked after too many tries.
    Each is signed with the registry's key when sent."""

    __tablename__ = "dci_callbacks"
    __table_args__ = (Index("ix_dci_callbacks_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    url: Mapped[str] = mapped_column(String(500), nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)  # on-search, notify, ...
    body: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    state: Mapped[str] = mapped_column(String(10), nullable=False)  # waiting | delivered | parked
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DciSubscription(Base):
    """An operator's subscription to registry events (person registered,
    household changed, person died) within a filter (e.g. its provinces)."""

    __tablename__ = "dci_subscriptions"
    __table_args__ = (Index("ix_dci_subscriptions_event", "reg_event_type", "status"),)

    code: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    sender_id: Mapped[str] = mapped_column(String(200), nullable=False)
    reg_event_type: Mapped[str] = mapped_column(String(50), nullable=False)
    criteria: Mapped[dict] = mapped_column(JSONDocument, nullable=False)
    # The subscriber's token had registry.read: notifications carry full records.
    full_records: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)  # subscribe | unsubscribe
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
