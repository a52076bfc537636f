"""Template filters for Buddhist-Era dates; loaded as a builtin in every template.

{{ submission.due_on|be_date }}          15 ก.พ. 2567
{{ submission.due_on|be_date:"long" }}   15 กุมภาพันธ์ 2567
{{ event.starts_at|be_datetime }}        15 ก.พ. 2567 14:05 น.
{{ today|fiscal_year }}                  2567
{{ 2567|thai_digits }}                   ๒๕๖๗
"""

from __future__ import annotations

from django import template

from ita_portal.lib import thaidates, thaitext

register = template.Library()


@register.filter
def be_date(value, style: str = ""):
    return thaidates.format_date(value, long=(style == "long"))


@register.filter
def be_datetime(value):
    return thaidates.format_datetime(value)


@register.filter
def fiscal_year(value):
    return thaidates.fiscal_year(value) if value else ""


@register.filter
def thai_digits(value):
    return thaitext.thai_digits(str(value))
