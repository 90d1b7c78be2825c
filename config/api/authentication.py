"""``Authorization: Bearer <key>``: the only way into the data (no session, no anonymous)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from partners.api_tokens import api_token_authenticate

REALM = "api"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, key = header.partition(" ")
        if keyword.lower() != self.keyword.lower() or not key.strip():
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization attendu : « Bearer » suivi de votre clé d'API."
            )
        token = api_token_authenticate(key.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(
                "Clé d'API inconnue, révoquée ou expirée : créez-en une sur votre profil."
            )
        return token.user, token

    def authenticate_header(self, request):
        # Makes a missing or wrong key a 401 (with this header), not a 403.
        return f'{self.keyword} realm="{REALM}"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "cleApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Clé personnelle créée sur la page « Mon profil » : "
            "`Authorization: Bearer iscg_…`.",
        }
