from django import template

from reunify.referrals.models import BarrierKind

register = template.Library()


@register.filter
def barrier_label(kind: str) -> str:
    return str(BarrierKind(kind).label) if kind in BarrierKind.values else kind
