"""Reads for the family portal's pages. Each takes what the policy allowed (`sections`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reunify.cases.models import FamilyCase, ParticipantRole
from reunify.people.models import Person
from reunify.portal import permissions
from reunify.portal.models import Invitation, Kind, PortalAccount


@dataclass
class HomeCase:
    case: FamilyCase
    sections: frozenset[str]
    children: list[Person] = field(default_factory=list)


def home(user: Any) -> tuple[PortalAccount | None, list[HomeCase]]:
    """The account and, for each case it reaches, what it may see and which children."""
    account = permissions.account_of(user)
    if account is None:
        return None, []
    if account.kind == Kind.PARENT:
        cases = list(
            permissions.parent_cases(account).select_related("agency").order_by("-opened_on")
        )
    elif account.kind == Kind.YOUTH:
        cases = list(
            FamilyCase.objects.filter(
                participants__person=account.person, participants__role=ParticipantRole.CHILD
            ).select_related("agency")
        )
    else:
        placements = permissions.current_placements(account)
        cases = list({p.episode.case_id: p.episode.case for p in placements}.values())
    rows = []
    for case in cases:
        allowed = permissions.sections(user, case)
        if not allowed:
            continue
        if account.kind == Kind.RESOURCE_PARENT:
            children = [
                p.episode.child
                for p in permissions.current_placements(account).filter(episode__case=case)
            ]
        elif account.kind == Kind.YOUTH:
            children = [account.person]
        else:
            children = [
                p.person
                for p in case.participants.select_related("person").filter(
                    role=ParticipantRole.CHILD
                )
            ]
        rows.append(HomeCase(case=case, sections=allowed, children=children))
    return account, rows


def case_invitations(case: FamilyCase) -> list[Invitation]:
    return list(
        case.invitations.select_related("created_by", "account__user").order_by("-created_at")
    )
