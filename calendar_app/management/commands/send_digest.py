from calendar_app.chaser import send_digest
from calendar_app.management.jobs import JobCommand


class Command(JobCommand):
    help = "Send the weekly digest (Mondays 08:00): each person's items, each overseer's units."
    job = staticmethod(send_digest)
