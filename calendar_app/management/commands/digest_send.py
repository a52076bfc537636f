from calendar_app.chaser import digest_send
from calendar_app.management.jobs import JobCommand


class Command(JobCommand):
    help = "Send the weekly digest (Mondays 08:00): each person's items, each overseer's units."
    job = staticmethod(digest_send)
