"""Writes for the community service directory: importing an agency's HSDS directory.

An import is always the agency's whole directory. In one transaction it upserts every row by its
HSDS id (rows whose values did not change are not written, so an identical re-import writes
nothing but its audit event), makes the services missing from the import inactive (referrals may
point to them), and removes the phones, schedules and service-location links that are gone.
Organizations, locations and taxonomy terms missing from the import are kept (nothing but
inactive services and history may point to them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from reunify.accounts.models import Agency
from reunify.core import audit, clock
from reunify.core.actor import write
from reunify.services import hsds
from reunify.services.hsds_schema import Origin, Problem
from reunify.services.models import (
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
    TaxonomyTerm,
    search_text,
)

M = TypeVar("M", bound=models.Model)
BATCH = 1000


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # services: made inactive; phones, schedules, links: deleted

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }


@dataclass
class ImportResult:
    source: str
    tallies: dict[str, Tally] = field(default_factory=dict)

    @property
    def services(self) -> Tally:
        return self.tallies["services"]

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: tally.as_dict() for name, tally in self.tallies.items()}


def directory_read(*, source: Path | bytes, name: str = "") -> hsds.Directory:
    """Read and check an HSDS package or JSON file; raises hsds.HsdsError."""
    return hsds.read_directory(source, name=name)


@write
def directory_import(
    *, actor: Any, agency: Agency, source: Path | bytes | hsds.Directory, name: str = ""
) -> ImportResult:
    """Replace the agency's directory with `source` (an HSDS CSV package, a folder or .zip, or
    HSDS JSON). Raises hsds.HsdsError, naming file, row and field, and changes nothing when the
    data is not valid."""
    directory = (
        source if isinstance(source, hsds.Directory) else directory_read(source=source, name=name)
    )
    # One import at a time per agency (PostgreSQL; SQLite transactions are serial already).
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    importer = _Importer(agency=agency, actor=actor)
    result = importer.run(directory, source=name or _source_name(source))
    services = result.services
    audit.record(
        actor=actor,
        action="directory.imported",
        obj=agency,
        agency_id=agency.pk,
        summary=(
            f"Service directory imported from {result.source}: {services.created} services new, "
            f"{services.updated} updated, {services.unchanged} unchanged, "
            f"{services.removed} made inactive"
        ),
        changes=result.as_dict(),
    )
    return result


def _source_name(source: object) -> str:
    return source.name if isinstance(source, Path) else "upload"


class _Importer:
    def __init__(self, *, agency: Agency, actor: Any) -> None:
        self.agency = agency
        self.user = actor if getattr(actor, "is_authenticated", False) else None
        self.when = clock.now()
        self.problems: list[Problem] = []
        self.new_services: set[int] = set()
        self.updated_services: set[int] = set()
        # Services whose phones, hours or location links changed: updated, though their own
        # row may not have been.
        self.touched_services: set[int] = set()

    def run(self, directory: hsds.Directory, *, source: str) -> ImportResult:
        result = ImportResult(source=source)
        organizations, result.tallies["organizations"] = self._sync(
            Organization,
            directory.organizations,
            lambda d: {
                "name": d.name,
                "description": d.description,
                "email": d.email,
                "website": d.website,
            },
        )
        terms, result.tallies["taxonomy_terms"] = self._sync(
            TaxonomyTerm,
            directory.terms,
            lambda d: {
                "name": d.name,
                "code": d.code,
                "taxonomy": d.taxonomy,
                "category": d.category,
            },
        )
        locations, result.tallies["locations"] = self._sync(
            Location,
            directory.locations,
            lambda d: {
                "organization_id": organizations[d.organization_id].pk
                if d.organization_id
                else None,
                "name": d.name,
                "description": d.description,
                "address_1": d.address_1,
                "address_2": d.address_2,
                "city": d.city,
                "state": d.state,
                "postal_code": d.postal_code,
                "latitude": d.latitude,
                "longitude": d.longitude,
            },
        )
        services, tally = self._sync(
            Service,
            directory.services,
            lambda d: {
                "organization_id": organizations[d.organization_id].pk,
                "name": d.name,
                "alternate_name": d.alternate_name,
                "description": d.description,
                "url": d.url,
                "email": d.email,
                "status": d.status,
                "accepting_new_clients": d.accepting_new_clients,
                "fees_description": d.fees_description,
                "cost": d.cost,
                "eligibility_description": d.eligibility_description,
                "minimum_age": d.minimum_age,
                "maximum_age": d.maximum_age,
                "application_process": d.application_process,
                "interpretation_services": d.interpretation_services,
                "search_text": search_text(
                    d.name, organizations[d.organization_id].name, d.description
                ),
            },
            keep_missing=True,
        )
        result.tallies["services"] = tally
        _links, result.tallies["service_at_locations"] = self._sync(
            ServiceAtLocation,
            directory.service_at_locations,
            lambda d: {
                "service_id": services[d.service_id].pk,
                "location_id": locations[d.location_id].pk,
                "description": d.description,
            },
        )

        def owner(mapping: Mapping[str, models.Model], hsds_id: str) -> int | None:
            return mapping[hsds_id].pk if hsds_id else None

        _phones, result.tallies["phones"] = self._sync(
            Phone,
            directory.phones,
            lambda d: {
                "service_id": owner(services, d.service_id),
                "location_id": owner(locations, d.location_id),
                "organization_id": owner(organizations, d.organization_id),
                "number": d.number,
                "extension": d.extension,
                "type": d.type,
                "description": d.description,
                "language": d.language,
            },
        )
        _schedules, result.tallies["schedules"] = self._sync(
            Schedule,
            directory.schedules,
            lambda d: {
                "service_id": owner(services, d.service_id),
                "location_id": owner(locations, d.location_id),
                "freq": d.freq,
                "byday": d.byday,
                "opens_at": d.opens_at,
                "closes_at": d.closes_at,
                "description": d.description,
                "valid_from": d.valid_from,
                "valid_to": d.valid_to,
            },
        )
        if self.problems:
            raise hsds.HsdsError(self.problems)
        touched = self._sync_links(directory, services, terms) | self.touched_services
        # A service whose languages, categories, terms, locations, phones or hours changed was
        # updated even when its own row was not.
        also = touched - self.new_services - self.updated_services
        also &= {s.pk for s in services.values()}
        tally.updated += len(also)
        tally.unchanged -= len(also)
        return result

    # -- rows with an HSDS id ----------------------------------------------------------------

    def _sync(
        self,
        model: type[M],
        rows: Sequence[Any],
        values_of: Callable[[Any], dict[str, Any]],
        *,
        keep_missing: bool = False,
    ) -> tuple[dict[str, M], Tally]:
        """Upsert `rows` (hsds dataclasses) by hsds_id; return every row by hsds_id and the
        counts. Rows of the agency absent from `rows` are deleted, or, for services
        (`keep_missing`), made inactive."""
        tally = Tally()
        existing: dict[str, M] = {
            obj.hsds_id: obj  # type: ignore[attr-defined]
            for obj in model._default_manager.filter(agency=self.agency)
        }
        to_create: list[M] = []
        to_update: list[M] = []
        changed_fields: set[str] = set()
        by_id: dict[str, M] = {}
        for data in rows:
            values = values_of(data)
            obj = existing.pop(data.hsds_id, None)
            if obj is None:
                obj = model(agency=self.agency, hsds_id=data.hsds_id, **values)
                self._validate(obj, data.origin)
                to_create.append(obj)
            else:
                differs = [k for k, v in values.items() if getattr(obj, k) != v]
                if differs:
                    self._note_children(obj)  # the service it belonged to, and below, belongs to
                    for key in differs:
                        setattr(obj, key, values[key])
                    self._validate(obj, data.origin)
                    changed_fields.update(differs)
                    to_update.append(obj)
                    self._note_children(obj)
                else:
                    tally.unchanged += 1
            by_id[data.hsds_id] = obj
        if self.problems:
            return by_id, tally
        if to_create:
            bulk_create_with_history(
                to_create, model, batch_size=BATCH, default_user=self.user, default_date=self.when
            )
            for obj in to_create:
                self._note_children(obj)
        if to_update:
            bulk_update_with_history(
                to_update,
                model,
                sorted(changed_fields),
                batch_size=BATCH,
                default_user=self.user,
                default_date=self.when,
            )
        tally.created, tally.updated = len(to_create), len(to_update)
        if model is Service:
            self.new_services = {o.pk for o in to_create}
            self.updated_services = {o.pk for o in to_update}
        missing = list(existing.values())
        if keep_missing:
            retire = [o for o in missing if o.status != ServiceStatus.INACTIVE]  # type: ignore[attr-defined]
            for obj in retire:
                obj.status = ServiceStatus.INACTIVE  # type: ignore[attr-defined]
            if retire:
                bulk_update_with_history(
                    retire,
                    model,
                    ["status"],
                    batch_size=BATCH,
                    default_user=self.user,
                    default_date=self.when,
                )
            tally.removed = len(retire)
        elif missing and model in (ServiceAtLocation, Phone, Schedule):
            for obj in missing:
                self._note_children(obj)
            model._default_manager.filter(pk__in=[o.pk for o in missing]).delete()
            tally.removed = len(missing)
        return by_id, tally

    def _note_children(self, obj: models.Model) -> None:
        """Remember the service a changed phone, schedule or location link belongs to."""
        service_id = getattr(obj, "service_id", None)
        if service_id is not None and not isinstance(obj, Service):
            self.touched_services.add(service_id)

    def _validate(self, obj: models.Model, origin: Origin) -> None:
        """The model's own field checks (lengths, choices), reported on the row they came from.
        Foreign keys are left out: they were resolved from rows of this import."""
        exclude = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.problems.append(origin.problem(_column(name), message.replace("%", "%%")))

    # -- derived link rows -------------------------------------------------------------------

    def _sync_links(
        self,
        directory: hsds.Directory,
        services: Mapping[str, Service],
        terms: Mapping[str, TaxonomyTerm],
    ) -> set[int]:
        """Languages, need categories and taxonomy terms of each service; the services whose
        set changed."""
        service_ids = [s.pk for s in services.values()]
        changed: set[int] = set()
        wanted_languages = {
            (services[d.hsds_id].pk, code) for d in directory.services for code in d.languages
        }
        wanted_categories = {
            (services[d.hsds_id].pk, key) for d in directory.services for key in d.categories
        }
        wanted_terms = {
            (services[d.hsds_id].pk, terms[t].pk) for d in directory.services for t in d.term_ids
        }
        for model, column, wanted in (
            (ServiceLanguage, "code", wanted_languages),
            (ServiceCategory, "category", wanted_categories),
            (ServiceTerm, "term_id", wanted_terms),
        ):
            changed |= _sync_pairs(model, column, wanted, service_ids)
        return changed


def _sync_pairs(
    model: type[models.Model],
    column: str,
    wanted: set[tuple[int, Any]],
    service_ids: Iterable[int],
) -> set[int]:
    ids = list(service_ids)
    have: dict[tuple[int, Any], int] = {}
    for start in range(0, len(ids), BATCH):
        for pk, service_id, value in model._default_manager.filter(
            service_id__in=ids[start : start + BATCH]
        ).values_list("pk", "service_id", column):
            have[(service_id, value)] = pk
    add = wanted - set(have)
    drop = [have[pair] for pair in set(have) - wanted]
    if add:
        model._default_manager.bulk_create(
            [model(service_id=s, **{column: v}) for s, v in sorted(add)], batch_size=BATCH
        )
    for start in range(0, len(drop), BATCH):
        model._default_manager.filter(pk__in=drop[start : start + BATCH]).delete()
    return {s for s, _v in add} | {s for s, _v in set(have) - wanted}


def _column(field_name: str) -> str:
    """The HSDS column a model field is read from, for messages."""
    return {"state": "state_province", "website": "website"}.get(field_name, field_name)
