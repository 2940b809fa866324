"""`{{ plan.level|level_name:level_names }}`: a level by the agency's name for it (the views put
`level_names` from `family_time.selectors.level_names` in the context)."""

from django import template

register = template.Library()


@register.filter
def level_name(level: str, names: dict[str, str] | None) -> str:
    return (names or {}).get(level, level)
