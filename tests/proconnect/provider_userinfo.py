"""The userinfo answer as ProConnect gives it: the claims in a JWT (Content-Type
application/jwt) signed RS256 with the provider's OpenID Connect key, the one its JWKS
publishes, with the issuer and the audience (the client) that OpenID Connect Core §5.3.2
asks of a signed answer.

The variant in the URL makes the answers a client must refuse: signed by another key
under the same key id, from another issuer, for another service, or about another agent
than the ID token's. The tests point the client's userinfo endpoint at one of them.
"""

import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.http import Http404, HttpResponse
from jwcrypto import jwk
from oauth2_provider.decorators import protected_resource
from oauth2_provider.models import AccessToken
from oauth2_provider.settings import oauth2_settings

from tests.proconnect.provider_validator import ProConnectLikeValidator

VARIANTS = ("valid", "bad-signature", "other-issuer", "other-audience", "other-subject")


@protected_resource(scopes=["openid"])
def signed_userinfo(request, variant: str):
    if variant not in VARIANTS:
        raise Http404
    bearer = request.headers["Authorization"].split(" ", 1)[1]
    access_token = AccessToken.objects.select_related("user", "application").get(token=bearer)
    user = access_token.user
    now = int(time.time())
    claims = {
        "sub": str(user.pk),
        "iss": oauth2_settings.oidc_issuer(request),
        "aud": access_token.application.client_id,
        "iat": now,
        "exp": now + 60,
        **ProConnectLikeValidator.claims_of(user),
    }
    if variant == "other-issuer":
        claims["iss"] = "https://autre-fournisseur.example"
    elif variant == "other-audience":
        claims["aud"] = "un-autre-service"
    elif variant == "other-subject":
        claims["sub"] = str(user.pk + 1000)
    provider_key = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    kid = jwk.JWK.from_pem(provider_key.encode()).thumbprint()
    signing_key = provider_key
    if variant == "bad-signature":
        signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims, signing_key, algorithm="RS256", headers={"kid": kid})
    return HttpResponse(token, content_type="application/jwt")
