"""Response headers every page and file of the product carries."""

import logging

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


class PrivateResponsesMiddleware:
    """Nothing personal is kept by a browser or a shared cache, and the browser's
    powerful features are off.

    Pages seen logged in and every download (PDF, signed scans, payment proofs,
    exports, calendar feeds: anything sent as a file) say ``Cache-Control:
    no-store``, so that the next person on a shared computer cannot read them from
    the browser's cache nor a proxy keep them. Static files are served before this
    middleware (WhiteNoise) and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        is_file = response.has_header("Content-Disposition")
        if (user is not None and user.is_authenticated) or is_file:
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class StorageUnavailableMiddleware:
    """The object storage (S3) not answering, or answering an error, while a page reads
    or writes a file: the French « indisponible » page (503) rather than a server error;
    the error is logged with its cause. Nothing already saved is lost (the page's
    transaction is rolled back). Recognised by the exception's module: botocore is only
    loaded when a bucket is configured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not type(exception).__module__.startswith("botocore."):
            return None
        logger.error("Stockage des fichiers indisponible : %s", exception, exc_info=exception)
        return render(request, "errors/storage.html", status=503)
