"""Log filters for the console: a refusal is the portal working, a server error is a fault."""

import logging


class SansTraceSousErreurServeur(logging.Filter):
    """Keep a 4xx response to one line: PermissionDenied and Http404 are ordinary answers (94
    tracebacks in one session of `make run`); a 5xx keeps its traceback."""

    def filter(self, record):
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
