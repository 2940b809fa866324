"""The content of a case plan version: one JSON document, its checks, and the differences between
two versions. Pure: no Django, so the rules are table-tested and the same for every caller.

Shape (every item of a list has a `key`, a uuid kept across versions so that versions compare):

    {"children": [{"person_id", "goal", "concurrent_goal",
                   "needs": [{"key", "area", "need", "who_meets_it"}],
                   "youth": {"own_words", "team_members": [<= 2 names]}}],     # 14 or older
     "goals": [{"key", "change", "safety_concern", "services": [{"name", "service_id"?}]}],
     "conditions_for_return": [{"key", "text", "status"}],
     "tasks": [{"key", "text", "owner", "owner_name", "due_on", "status", "goal_key"?}],
     "agency_efforts": ""}

`goals` are behavioural change goals in the parent's words, each with the safety concern it
answers (Child Welfare Policy Manual 8.3C; SDM: attendance is not behaviour change). The
permanency goals per child are the case's own (cases.PermanencyGoal) copied into the plan."""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reunify.core.marks import gettext_noop

PERMANENCY_GOALS = ("reunification", "adoption", "guardianship", "fit_willing_relative", "appla")
NEED_AREAS = ("health", "education", "well_being")  # CFSR Round 2 items 21, 22, 23
OWNERS = ("parent", "worker", "provider", "resource_family", "parent_partner")
TASK_STATUSES = ("not_started", "in_progress", "done", "dropped")
CONDITION_STATUSES = ("not_met", "in_progress", "met")
COLLECTIONS = ("goals", "conditions_for_return", "tasks")
YOUTH_AGE = 14  # the youth takes part in their own plan (42 U.S.C. 675(1)(B), 675(5)(C)(iv))
MAX_TEAM_MEMBERS = 2  # chosen by the youth, 42 U.S.C. 675a(b)(1)(B)
MAX_TEXT = 2000

Path = tuple[str | int, ...]

# Behavioural progress on a goal, rated with its evidence. Only the top of the scale marks a goal
# met; attendance at services is recorded apart and never moves this scale.
RATINGS = {
    1: gettext_noop("No change yet"),
    2: gettext_noop("Some change, not yet steady"),
    3: gettext_noop("Change shown"),
    4: gettext_noop("Change sustained"),
}
CHANGE_SUSTAINED = 4

NOT_A_PLAN = gettext_noop("The plan is not in the expected form.")
REQUIRED = gettext_noop("This is required.")
TOO_LONG = gettext_noop("Keep this under %(max)s characters.")
UNKNOWN_CHOICE = gettext_noop("Choose one of the options.")
DUPLICATE_KEY = gettext_noop("This item appears twice in the plan.")
NOT_A_DATE = gettext_noop("Enter a date.")
UNKNOWN_GOAL = gettext_noop("Choose one of the plan's goals.")
SAME_GOALS = gettext_noop("The concurrent goal must differ from the permanency goal.")
TOO_MANY_TEAM = gettext_noop("The youth chooses at most two team members.")
NOT_YOUTH = gettext_noop("The youth's own part is for children 14 or older.")
UNKNOWN_CHILD = gettext_noop("This child is not in the case.")
NEEDS_GOAL = gettext_noop("Each child needs a permanency goal.")
NEEDS_CHANGE_GOAL = gettext_noop("The plan needs at least one goal for what will be different.")


@dataclass(frozen=True)
class Problem:
    """One thing wrong, at `path` (e.g. ("goals", 0, "change")); `message` is an English source
    string the caller translates, with `params`."""

    path: Path
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The item's field the problem is about (the last name in the path)."""
        names = [p for p in self.path if isinstance(p, str)]
        return names[-1] if names else ""


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Change:
    """One difference between two versions. `kind`: goal, task, condition, need, child, youth or
    agency_efforts; `action`: added, removed or changed; `label`: the item's own words."""

    kind: str
    action: str
    label: str
    person_id: int | None = None
    fields: tuple[FieldChange, ...] = ()


def new_key() -> str:
    return str(uuid.uuid4())


def empty(person_ids: Iterable[int]) -> dict[str, Any]:
    """A new plan for the children of the case."""
    return {
        "children": [
            {"person_id": pid, "goal": "", "concurrent_goal": "", "needs": []} for pid in person_ids
        ],
        "goals": [],
        "conditions_for_return": [],
        "tasks": [],
        "agency_efforts": "",
    }


# ---- validation -----------------------------------------------------------------------------


def _text(
    problems: list[Problem], item: Mapping[str, Any], name: str, path: Path, *, required: bool
) -> None:
    value = item.get(name, "")
    if not isinstance(value, str):
        problems.append(Problem((*path, name), NOT_A_PLAN))
    elif required and not value.strip():
        problems.append(Problem((*path, name), REQUIRED))
    elif len(value) > MAX_TEXT:
        problems.append(Problem((*path, name), TOO_LONG, {"max": MAX_TEXT}))


def _choice(
    problems: list[Problem],
    item: Mapping[str, Any],
    name: str,
    path: Path,
    choices: tuple[str, ...],
    *,
    blank: bool = False,
) -> None:
    value = item.get(name, "")
    if blank and value == "":
        return
    if value == "":
        problems.append(Problem((*path, name), REQUIRED))
    elif value not in choices:
        problems.append(Problem((*path, name), UNKNOWN_CHOICE))


def _keys(problems: list[Problem], items: list[Any], path: Path) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(key, str) or not key:
            problems.append(Problem((*path, index, "key"), NOT_A_PLAN))
        elif key in seen:
            problems.append(Problem((*path, index, "key"), DUPLICATE_KEY))
        else:
            seen.add(key)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _list(document: Mapping[str, Any], name: str, problems: list[Problem]) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        problems.append(Problem((name,), NOT_A_PLAN))
        return []
    return value


def validate(document: Any, *, child_ages: Mapping[int, int | None] | None = None) -> list[Problem]:
    """Every problem with the document. `child_ages` (person id -> age in years, None when not
    known), when given, also checks that the children are the case's and that only youth 14 or
    older have a youth part."""
    if not isinstance(document, dict):
        return [Problem((), NOT_A_PLAN)]
    problems: list[Problem] = []
    children = _list(document, "children", problems)
    for i, child in enumerate(children):
        path: Path = ("children", i)
        pid = child.get("person_id")
        if not isinstance(pid, int) or isinstance(pid, bool):
            problems.append(Problem((*path, "person_id"), NOT_A_PLAN))
            continue
        if child_ages is not None and pid not in child_ages:
            problems.append(Problem((*path, "person_id"), UNKNOWN_CHILD))
        _choice(problems, child, "goal", path, PERMANENCY_GOALS, blank=True)
        _choice(problems, child, "concurrent_goal", path, PERMANENCY_GOALS, blank=True)
        if child.get("concurrent_goal") and child.get("concurrent_goal") == child.get("goal"):
            problems.append(Problem((*path, "concurrent_goal"), SAME_GOALS))
        needs = _list(child, "needs", problems)
        _keys(problems, needs, (*path, "needs"))
        for j, need in enumerate(needs):
            need_path = (*path, "needs", j)
            _choice(problems, need, "area", need_path, NEED_AREAS)
            _text(problems, need, "need", need_path, required=True)
            _text(problems, need, "who_meets_it", need_path, required=True)
        youth = child.get("youth")
        if youth is not None:
            problems += _youth_problems(youth, (*path, "youth"), (child_ages or {}).get(pid))
    goals = _list(document, "goals", problems)
    _keys(problems, goals, ("goals",))
    for i, goal in enumerate(goals):
        path = ("goals", i)
        _text(problems, goal, "change", path, required=True)
        _text(problems, goal, "safety_concern", path, required=True)
        services = _list(goal, "services", problems)
        for j, service in enumerate(services):
            _text(problems, service, "name", (*path, "services", j), required=True)
            sid = service.get("service_id")
            if sid is not None and (not isinstance(sid, int) or isinstance(sid, bool)):
                problems.append(Problem((*path, "services", j, "service_id"), NOT_A_PLAN))
    conditions = _list(document, "conditions_for_return", problems)
    _keys(problems, conditions, ("conditions_for_return",))
    for i, condition in enumerate(conditions):
        path = ("conditions_for_return", i)
        _text(problems, condition, "text", path, required=True)
        _choice(problems, condition, "status", path, CONDITION_STATUSES)
    goal_keys = {g.get("key") for g in goals}
    tasks = _list(document, "tasks", problems)
    _keys(problems, tasks, ("tasks",))
    for i, task in enumerate(tasks):
        path = ("tasks", i)
        _text(problems, task, "text", path, required=True)
        _choice(problems, task, "owner", path, OWNERS)
        _text(problems, task, "owner_name", path, required=False)
        if not task.get("due_on"):
            problems.append(Problem((*path, "due_on"), REQUIRED))
        elif not _is_date(task["due_on"]):
            problems.append(Problem((*path, "due_on"), NOT_A_DATE))
        _choice(problems, task, "status", path, TASK_STATUSES)
        if task.get("goal_key") and task["goal_key"] not in goal_keys:
            problems.append(Problem((*path, "goal_key"), UNKNOWN_GOAL))
    _text(problems, document, "agency_efforts", (), required=False)
    return problems


def _youth_problems(youth: Any, path: Path, age: int | None) -> list[Problem]:
    if not isinstance(youth, dict):
        return [Problem(path, NOT_A_PLAN)]
    problems: list[Problem] = []
    if age is not None and age < YOUTH_AGE:
        problems.append(Problem(path, NOT_YOUTH))
    _text(problems, youth, "own_words", path, required=False)
    team = youth.get("team_members", [])
    if not isinstance(team, list) or not all(isinstance(n, str) and n.strip() for n in team):
        problems.append(Problem((*path, "team_members"), NOT_A_PLAN))
    elif len(team) > MAX_TEAM_MEMBERS:
        problems.append(Problem((*path, "team_members"), TOO_MANY_TEAM))
    return problems


def missing_for_final(document: Mapping[str, Any]) -> list[Problem]:
    """What a valid document still lacks before the plan can be made final: a permanency goal for
    each child and at least one goal for what will be different."""
    problems = [
        Problem(("children", i, "goal"), NEEDS_GOAL)
        for i, child in enumerate(document.get("children", []))
        if not child.get("goal")
    ]
    if not document.get("goals"):
        problems.append(Problem(("goals",), NEEDS_CHANGE_GOAL))
    return problems


# ---- editing: new documents from old ones ---------------------------------------------------


def put(document: Mapping[str, Any], collection: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `document` with `item` replacing the item of the same key, or added at the end."""
    result = copy.deepcopy(dict(document))
    items = result.setdefault(collection, [])
    for index, existing in enumerate(items):
        if existing.get("key") == item.get("key"):
            items[index] = dict(item)
            return result
    items.append(dict(item))
    return result


def remove(document: Mapping[str, Any], collection: str, key: str) -> dict[str, Any]:
    result = copy.deepcopy(dict(document))
    result[collection] = [i for i in result.get(collection, []) if i.get("key") != key]
    if collection == "goals":
        for task in result.get("tasks", []):
            if task.get("goal_key") == key:
                task["goal_key"] = ""
    return result


def find(document: Mapping[str, Any], collection: str, key: str) -> dict[str, Any] | None:
    return next((i for i in document.get(collection, []) if i.get("key") == key), None)


def child_of(document: Mapping[str, Any], person_id: int) -> dict[str, Any] | None:
    return next((c for c in document.get("children", []) if c.get("person_id") == person_id), None)


def put_child(document: Mapping[str, Any], person_id: int, **changes: Any) -> dict[str, Any]:
    """A copy with the child's section updated (added if the child is new to the plan)."""
    result = copy.deepcopy(dict(document))
    children = result.setdefault("children", [])
    child = child_of(result, person_id)
    if child is None:
        child = {"person_id": person_id, "goal": "", "concurrent_goal": "", "needs": []}
        children.append(child)
    for name, value in changes.items():
        if value is None:
            child.pop(name, None)
        else:
            child[name] = value
    return result


def put_need(
    document: Mapping[str, Any], person_id: int, need: Mapping[str, Any]
) -> dict[str, Any]:
    result = put_child(document, person_id)
    needs = next(c for c in result["children"] if c.get("person_id") == person_id).setdefault(
        "needs", []
    )
    for index, existing in enumerate(needs):
        if existing.get("key") == need.get("key"):
            needs[index] = dict(need)
            return result
    needs.append(dict(need))
    return result


# ---- progress -------------------------------------------------------------------------------


def goal_met(latest_rating: int | None) -> bool:
    """A goal is met only when the latest behavioural progress rating says the change is
    sustained. Service attendance is deliberately not an argument: it never marks a goal met."""
    return latest_rating == CHANGE_SUSTAINED


# ---- differences ----------------------------------------------------------------------------

_KINDS = {"goals": "goal", "tasks": "task", "conditions_for_return": "condition"}
_LABELS = {"goals": "change", "tasks": "text", "conditions_for_return": "text"}


def _item_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    names = [n for n in after if n != "key"] + [n for n in before if n not in after and n != "key"]
    return tuple(
        FieldChange(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)
    )


def _diff_items(
    old: list[Mapping[str, Any]],
    new: list[Mapping[str, Any]],
    kind: str,
    label_field: str,
    person_id: int | None = None,
) -> list[Change]:
    before = {i.get("key"): i for i in old}
    after = {i.get("key"): i for i in new}
    changes: list[Change] = []
    for key, item in after.items():
        if key not in before:
            changes.append(
                Change(
                    kind, "added", str(item.get(label_field, "")), person_id, _item_fields({}, item)
                )
            )
        elif fields := _item_fields(before[key], item):
            changes.append(
                Change(kind, "changed", str(item.get(label_field, "")), person_id, fields)
            )
    changes += [
        Change(kind, "removed", str(item.get(label_field, "")), person_id)
        for key, item in before.items()
        if key not in after
    ]
    return changes


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """What changed from `old` to `new`: items matched by key, children by person; the goals
    first, then conditions, tasks, each child's section and the agency's efforts."""
    changes: list[Change] = []
    for collection in ("goals", "conditions_for_return", "tasks"):
        changes += _diff_items(
            old.get(collection, []),
            new.get(collection, []),
            _KINDS[collection],
            _LABELS[collection],
        )
    old_children = {c.get("person_id"): c for c in old.get("children", [])}
    for child in new.get("children", []):
        pid = child.get("person_id")
        before = old_children.get(pid, {})
        plain = ("goal", "concurrent_goal")
        fields = tuple(
            FieldChange(n, before.get(n, ""), child.get(n, ""))
            for n in plain
            if before.get(n, "") != child.get(n, "")
        )
        if fields:
            changes.append(Change("child", "changed", "", pid, fields))
        changes += _diff_items(before.get("needs", []), child.get("needs", []), "need", "need", pid)
        old_youth, new_youth = before.get("youth"), child.get("youth")
        if old_youth != new_youth:
            action = "added" if old_youth is None else "removed" if new_youth is None else "changed"
            changes.append(
                Change("youth", action, "", pid, _item_fields(old_youth or {}, new_youth or {}))
            )
    if old.get("agency_efforts", "") != new.get("agency_efforts", ""):
        changes.append(
            Change(
                "agency_efforts",
                "changed",
                "",
                None,
                (
                    FieldChange(
                        "agency_efforts",
                        old.get("agency_efforts", ""),
                        new.get("agency_efforts", ""),
                    ),
                ),
            )
        )
    return changes


# ---- signatures -----------------------------------------------------------------------------


def _name_tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [t for t in "".join(c if c.isalnum() else " " for c in plain).split() if t]


def name_matches(typed: str, *, first: str, last: str, middle: str = "") -> bool:
    """Whether the name a signer typed is theirs, loosely: case, accents, punctuation and spacing
    do not matter, the middle name may be left out, but the first and last names must be there
    and nothing else may be."""
    words = _name_tokens(typed)
    required = _name_tokens(first) + _name_tokens(last)
    allowed = set(required) | set(_name_tokens(middle))
    return bool(words) and all(w in words for w in required) and set(words) <= allowed
