"""gunicorn's settings for Parole Wizard; gunicorn reads ``./gunicorn.conf.py`` from the directory it starts in (the
checkout), so ``gunicorn parole_wizard.wsgi`` run there uses them. A command-line option still overrides each one.

An upload is inspected inside the web request, one sandboxed child per file, each allowed ``INSPECT_WALL_SECONDS``
(default 60). gunicorn kills a worker whose request runs past ``timeout``, so ``timeout`` must exceed the inspection
time of every file one request can carry, or a file allowed the full inspection time is cut off with a bare 502.
"""

import os

# The most files one questionnaire page posts at once: the experience step's CV and a certificate.
FILES_PER_REQUEST = 2
# Reading the request, saving the exhibits and drawing the next page, with room to spare on a busy machine.
MARGIN_SECONDS = 30
# Read like parole_wizard/settings.py reads it (same variable, same default); gunicorn loads this before Django.
INSPECT_WALL_SECONDS = int(os.environ.get("INSPECT_WALL_SECONDS") or "60")

# With the defaults: 2 × 60 + 30 = 150 seconds.
timeout = FILES_PER_REQUEST * INSPECT_WALL_SECONDS + MARGIN_SECONDS
