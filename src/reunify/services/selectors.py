"""Reads for the community service directory: search and a service's page.

`service_search` filters in SQL (need category and language through their indexed link tables,
cost, accepting new clients, words) and, when a place is given, reads only the service locations
inside a latitude/longitude box around it (indexed), computes the exact great-circle distance for
those candidates alone, and sorts by it. The number of queries is fixed whatever the size of the
directory (tests/test_search.py counts them; benchmarks/service_search.py times them)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    FloatField,
    Min,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast

from reunify.accounts.models import Agency
from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.cases.rules import miles_between
from reunify.core import audit
from reunify.core.models import AuditEvent
from reunify.services.models import (
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    search_text,
)

PAGE_SIZE = 20
MILES_PER_DEGREE_LATITUDE = 69.05  # the shortest degree (at the equator), so the box is enough


@dataclass(frozen=True)
class Hit:
    service: Service
    distance: float | None  # miles to the nearest of its locations, when a place was given
    location: Location | None  # that location (or its first, without a place)
    # Read once from the prefetched rows, so the page does not go back to them per use.
    phones: list[Phone]
    schedules: list[Schedule]
    languages: list[str]


@dataclass(frozen=True)
class SearchResults:
    page: Page  # of service ids; `hits` holds the services of this page
    hits: list[Hit]
    total: int
    near: tuple[float, float] | None


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w][:8]


def _conditions(
    prefix: str,
    *,
    category: str | None,
    language: str | None,
    cost: str | Iterable[str] | None,
    accepting_only: bool,
    text: str,
) -> Q:
    """The filters on a service, reached from the queried model through `prefix`."""
    condition = Q(**{f"{prefix}status": ServiceStatus.ACTIVE})
    if category:
        condition &= Q(**{f"{prefix}categories__category": category})
    if language:
        condition &= Q(**{f"{prefix}languages__code": language})
    if cost:
        costs = [cost] if isinstance(cost, str) else list(cost)
        condition &= Q(**{f"{prefix}cost__in": costs})
    if accepting_only:
        condition &= Q(**{f"{prefix}accepting_new_clients": True})
    for word in _words(search_text(text)):
        condition &= Q(**{f"{prefix}search_text__contains": word})
    return condition


def bounding_box(
    latitude: float, longitude: float, miles: float
) -> tuple[float, float, float, float]:
    """(south, north, west, east): every point within `miles` of the centre is inside."""
    dlat = miles / MILES_PER_DEGREE_LATITUDE
    south, north = max(latitude - dlat, -90.0), min(latitude + dlat, 90.0)
    widest = max(abs(south), abs(north))
    if widest >= 89.0:
        return south, north, -180.0, 180.0
    dlon = miles / (MILES_PER_DEGREE_LATITUDE * math.cos(math.radians(widest)))
    if dlon >= 180.0:
        return south, north, -180.0, 180.0
    return south, north, longitude - dlon, longitude + dlon


LATITUDE = Cast("location__latitude", FloatField())
LONGITUDE = Cast("location__longitude", FloatField())


def service_search(
    agency: Agency,
    *,
    category: str | None = None,
    language: str | None = None,
    near: tuple[float, float] | None = None,
    within_miles: float | None = None,
    cost: str | Iterable[str] | None = None,
    accepting_only: bool = False,
    text: str = "",
    page: int | str = 1,
    per_page: int = PAGE_SIZE,
) -> SearchResults:
    """Active services of the agency's directory that match every filter given. With `near`
    (latitude, longitude) they are sorted by distance (services without a located address last,
    or left out when `within_miles` is given); otherwise by name."""
    filters = {
        "category": category,
        "language": language,
        "cost": cost,
        "accepting_only": accepting_only,
        "text": text,
    }
    services = Service.objects.filter(agency=agency).filter(_conditions("", **filters))
    # The location's agency (not the link's) so the (agency, latitude, longitude) index serves.
    links = (
        ServiceAtLocation.objects.filter(
            location__agency=agency,
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        )
        .filter(_conditions("service__", **filters))
        .order_by()
    )
    object_list: Any
    if near is None:
        object_list = services.order_by("name", "pk").values_list("pk", flat=True)
    elif within_miles is None:
        object_list = _NearestFirst(near, links, services)
    else:
        object_list = _within(near, within_miles, links)
    paginator = Paginator(object_list, per_page)
    page_obj = paginator.get_page(page)
    ids = list(page_obj.object_list)
    return SearchResults(page=page_obj, hits=_hits(ids, near), total=paginator.count, near=near)


def _within(
    near: tuple[float, float], miles: float, links: QuerySet[ServiceAtLocation]
) -> list[int]:
    """The services with a location within `miles`, nearest first: the locations in the bounding
    box come from the database (an index range), the exact distance is computed here."""
    latitude, longitude = near
    south, north, west, east = bounding_box(latitude, longitude, miles)
    boxed = links.filter(
        location__latitude__gte=Decimal(f"{south:.6f}"),
        location__latitude__lte=Decimal(f"{north:.6f}"),
        location__longitude__gte=Decimal(f"{west:.6f}"),
        location__longitude__lte=Decimal(f"{east:.6f}"),
    )
    best: dict[int, tuple[float, str]] = {}
    for service_id, name, lat, lon in boxed.values_list(
        "service_id", "service__name", LATITUDE, LONGITUDE
    ):
        distance = miles_between(latitude, longitude, lat, lon)
        if distance <= miles and (service_id not in best or distance < best[service_id][0]):
            best[service_id] = (distance, name)
    return [pk for _d, _n, pk in sorted((d, n, pk) for pk, (d, n) in best.items())]


class _NearestFirst:
    """Every service matching the filters, nearest first, then those without a located address
    by name: a sequence the paginator counts and slices, so only one page is read. The order is
    by the flat-earth (equirectangular) distance, computed in SQL; it agrees with the great-circle
    distance shown except, rarely, between services hundreds of miles away."""

    def __init__(
        self,
        near: tuple[float, float],
        links: QuerySet[ServiceAtLocation],
        services: QuerySet[Service],
    ) -> None:
        latitude, longitude = near
        squeeze = math.cos(math.radians(latitude))
        flat = ExpressionWrapper(
            (LATITUDE - latitude) * (LATITUDE - latitude)
            + (LONGITUDE - longitude) * (LONGITUDE - longitude) * (squeeze * squeeze),
            output_field=FloatField(),
        )
        self.located = (
            links.values("service_id", "service__name")
            .annotate(flat=Min(flat))
            .order_by("flat", "service__name", "service_id")
            .values_list("service_id", flat=True)
        )
        self.services = services
        self.elsewhere = (
            services.exclude(pk__in=links.values("service_id"))
            .order_by("name", "pk")
            .values_list("pk", flat=True)
        )
        self._counts: tuple[int, int] | None = None

    def _sizes(self) -> tuple[int, int]:
        if self._counts is None:
            located = self.located.count()
            self._counts = (located, self.services.count() - located)
        return self._counts

    def count(self) -> int:
        return sum(self._sizes())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        located, _elsewhere = self._sizes()
        start, stop = window.start or 0, window.stop
        ids: list[int] = []
        if start < located:
            ids += list(self.located[start : min(stop, located)])
        if stop > located:
            ids += list(self.elsewhere[max(start - located, 0) : stop - located])
        return ids


def _with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("organization").prefetch_related(
        Prefetch(
            "service_locations",
            queryset=ServiceAtLocation.objects.select_related("location").order_by("id"),
        ),
        "phones",
        Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
        "languages",
        "categories",
    )


def _hits(ids: Sequence[int], near: tuple[float, float] | None) -> list[Hit]:
    """The services of one page, with the distance to the nearest of their locations."""
    by_id = {s.pk: s for s in _with_details(Service.objects.filter(pk__in=ids))}
    hits = []
    for pk in ids:
        service = by_id[pk]
        locations = [link.location for link in service.service_locations.all()]
        distance, location = None, (locations[0] if locations else None)
        if near is not None:
            for candidate in locations:
                if candidate.latitude is None or candidate.longitude is None:
                    continue
                miles = miles_between(
                    near[0], near[1], float(candidate.latitude), float(candidate.longitude)
                )
                if distance is None or miles < distance:
                    distance, location = miles, candidate
        hits.append(
            Hit(
                service=service,
                distance=distance,
                location=location,
                phones=list(service.phones.all()),
                schedules=list(service.schedules.all()),
                languages=[language.code for language in service.languages.all()],
            )
        )
    return hits


def service_get(*, services: QuerySet[Service], pk: int) -> Service | None:
    """One service of `services` (already limited by the policy) with everything its page shows."""
    return _with_details(services).filter(pk=pk).first()


def place_of_postal_code(*, agency: Agency, postal_code: str) -> tuple[float, float] | None:
    """Where a ZIP code is, as the middle of the directory's own locations in it (Reunify holds
    no gazetteer); None when the directory has no location there."""
    code = postal_code.strip()[:5]
    if not code:
        return None
    middle = Location.objects.filter(
        agency=agency, postal_code__startswith=code, latitude__isnull=False
    ).aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    if middle["latitude"] is None:
        return None
    return float(middle["latitude"]), float(middle["longitude"])


def place_of_family(*, case: FamilyCase) -> tuple[float, float] | None:
    """Where the family of a case lives: the home of its first parent with a located address."""
    row = (
        case.participants.filter(
            role=ParticipantRole.PARENT,
            person__address__latitude__isnull=False,
            person__address__longitude__isnull=False,
        )
        .order_by("id")
        .values_list("person__address__latitude", "person__address__longitude")
        .first()
    )
    return (float(row[0]), float(row[1])) if row else None


@dataclass(frozen=True)
class DirectorySummary:
    organizations: int
    services: int
    active: int
    last_import: AuditEvent | None


def directory_summary(*, agency: Agency) -> DirectorySummary:
    counts = Service.objects.filter(agency=agency).aggregate(
        services=Count("pk"), active=Count("pk", filter=Q(status=ServiceStatus.ACTIVE))
    )
    object_type, object_id = audit.describe(agency)
    last = (
        AuditEvent.objects.filter(
            object_type=object_type, object_id=object_id, action="directory.imported"
        )
        .order_by("-id")
        .first()
    )
    return DirectorySummary(
        organizations=Organization.objects.filter(agency=agency).count(),
        services=counts["services"],
        active=counts["active"],
        last_import=last,
    )
