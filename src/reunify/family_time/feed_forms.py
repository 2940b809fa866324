"""Input shapes for the calendar feed pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reunify.core.forms import Form

MINE = "mine"


class FeedCreateForm(Form):
    calendar = forms.ChoiceField(label=_("Calendar"))

    def __init__(self, *args: Any, episodes=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["calendar"].choices = [
            ("", "—"),
            (MINE, _("My schedule: family time and hearings in my cases")),
            *[
                (
                    str(e.pk),
                    _("Family time: %(child)s (case %(number)s)")
                    % {"child": e.child.full_name, "number": e.case.number},
                )
                for e in episodes
            ],
        ]


class FeedRevokeForm(Form):
    token = forms.IntegerField(widget=forms.HiddenInput)
