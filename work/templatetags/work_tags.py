"""{% state_badge submission today %}: a submission's state as a coloured badge, "· overdue"
added while it is open past its due date. Every list of submissions shows it (my work, the
approval queue, the board's 250 cells, the item page, the home page), so it is one small
function rather than an included template (an include per board cell cost a third of the
board's rendering).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def state_badge(submission, today):
    overdue = submission.is_overdue(on=today)
    return format_html(
        '<span class="badge state-{}{}">{}{}</span>',
        submission.state,
        " state-overdue" if overdue else "",
        submission.get_state_display(),
        format_html(" · {}", _("overdue")) if overdue else "",
    )
