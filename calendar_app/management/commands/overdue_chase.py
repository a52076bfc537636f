from calendar_app.chaser import overdue_chase
from calendar_app.management.jobs import JobCommand


class Command(JobCommand):
    help = "Send the day's reminders, escalations and secretaries' summaries (daily, 08:00)."
    job = staticmethod(overdue_chase)
