from calendar_app.management.jobs import JobCommand
from calendar_app.notify import notifications_send


class Command(JobCommand):
    help = (
        "Send what waits in the send log: messages wanted at once, retries, and what a run "
        "that died left (every five minutes)."
    )
    job = staticmethod(notifications_send)
