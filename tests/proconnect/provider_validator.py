from oauth2_provider.oauth2_validators import OAuth2Validator


class ProConnectLikeValidator(OAuth2Validator):
    """The claims ProConnect gives, in the ID token and from the userinfo endpoint."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return {
            "email": request.user.email,
            "given_name": request.user.first_name,
            "usual_name": request.user.last_name,
        }
