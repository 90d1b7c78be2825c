"""The address a request comes from: the person's, not that of our reverse proxy.

Behind the proxy the README documents (``BEHIND_TLS_PROXY=true``), every request
reaches the application from the proxy's own address, and the proxy appends the
address it received the request from to ``X-Forwarded-For``. Reading the header
blindly would let anyone choose their address (and lock someone else out of the
login); ignoring it makes every person one address (five wrong passwords from
anywhere would lock the real user out). So the header is read only when the
request comes from one of ``TRUSTED_PROXIES``, right to left, and the first
address that is not one of our proxies is the person's: what stands left of it
was written by the client and proves nothing.
"""

import ipaddress

from django.conf import settings


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for address in reversed([part.strip() for part in forwarded.split(",")]):
        if address in trusted:
            continue
        return address if _is_address(address) else remote
    return remote
