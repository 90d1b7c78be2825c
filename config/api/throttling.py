"""Rate limits per key: a runaway script slows itself down, not the other users.

Counted in Django's cache (Redis when configured, otherwise in each process). Over the
limit, the answer is 429 with ``Retry-After`` (seconds), which REST framework sets from
``wait()``.
"""

from rest_framework.throttling import SimpleRateThrottle

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class _PerTokenThrottle(SimpleRateThrottle):
    def get_cache_key(self, request, view):
        token = request.auth
        if token is None or not self.applies_to(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}

    def applies_to(self, request) -> bool:
        raise NotImplementedError


class ReadRateThrottle(_PerTokenThrottle):
    scope = "lecture"

    def applies_to(self, request) -> bool:
        return request.method in SAFE_METHODS


class WriteRateThrottle(_PerTokenThrottle):
    scope = "ecriture"

    def applies_to(self, request) -> bool:
        return request.method not in SAFE_METHODS
