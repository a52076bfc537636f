from calendar_app.chaser import overdue_chase
from calendar_app.management.jobs import JobCommand


class Command(JobCommand):
    help = (
        "The day's reminders, escalations and summaries, in one digest per person (daily, 08:00)."
    )
    job = staticmethod(overdue_chase)
