"""Settings for the test suite: production settings with a throwaway key."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
# The tests load the demo and the national dataset.
os.environ["DEVTOOLS"] = "true"

from config.settings import *  # noqa: E402, F403

# Each test process (a pytest-xdist worker) stores its uploads in a folder of its own:
# a test of the orphan-file cleaning in one must not see another's files.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="iscg-test-media-"))

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# On the disk, whatever the environment says: a bucket named in a developer's .env is never
# written by the tests (tests/storage/ starts its own S3 server and buckets).
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files are served from the finders in tests; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run inline in the tests, whatever the environment says; the tests of the real
# broker (tests/jobs/test_worker.py) switch the Celery application to Redis themselves.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
# The worker tests see a task tried again within seconds, not half a minute.
JOBS_RETRY_BACKOFF_SECONDS = 1
# Tests log in with client.login() (no request); the throttling tests turn it on.
AXES_ENABLED = False
# One access-log line per request would bury a failing test's own output; the tests of
# config.observability turn it on.
LOGGING = {  # noqa: F405
    **LOGGING,  # noqa: F405
    "loggers": {**LOGGING["loggers"], "iscg.requests": {"level": "WARNING"}},  # noqa: F405
}
# The cache of each test process, whatever the environment says: the tests empty it
# (tests/conftest.py), and a developer's CACHE_URL must not lose what it holds.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database is thrown away: its commits need not wait for the disk (the live
    # server's and the transactional tests' commits, the migrations tests).
    _options = DATABASES["default"]["OPTIONS"]  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
    # The live server's and the Celery worker's threads close their connections after each
    # request or task, so that none holds the test database when it is dropped.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
