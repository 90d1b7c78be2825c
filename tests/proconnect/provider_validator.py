from oauth2_provider.oauth2_validators import OAuth2Validator


class ProConnectLikeValidator(OAuth2Validator):
    """The claims ProConnect gives, in the ID token and from the userinfo endpoint."""

    oidc_claim_scope = None

    @staticmethod
    def claims_of(user) -> dict:
        return {"email": user.email, "given_name": user.first_name, "usual_name": user.last_name}

    def get_additional_claims(self, request):
        return self.claims_of(request.user)
