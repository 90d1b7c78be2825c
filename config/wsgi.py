import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, WeasyPrint, openpyxl) lives as long as the
# process: out of the collector's reach, a full collection during a request scans only
# what requests create (about 40 ms instead of 130 ms on the national dataset).
gc.freeze()
