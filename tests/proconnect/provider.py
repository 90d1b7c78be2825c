"""A real OpenID Connect provider for the ProConnect tests, in its own process.

    python -m tests.proconnect.provider  < config.json

reads {"database", "rsa_private_key", "client_id", "client_secret", "redirect_uri",
"post_logout_redirect_uri", "agents": [{"username", "password", "email", ...}]}, migrates
its own SQLite database, registers the client and the agents, then serves on a free
loopback port, which it prints on its first line. django-oauth-toolkit does the protocol:
discovery, authorization, token, JWKS, userinfo and logout, over HTTP.
"""

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main():
    config = json.loads(sys.stdin.read())
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.proconnect.provider_settings"
    os.environ["PROVIDER_DATABASE"] = config["database"]
    os.environ["PROVIDER_RSA_PRIVATE_KEY"] = config["rsa_private_key"]

    import django

    django.setup()

    from django.contrib.auth.models import User
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for agent in config["agents"]:
        User.objects.create_user(
            agent["username"],
            email=agent["email"],
            password=agent["password"],
            first_name=agent.get("given_name", ""),
            last_name=agent.get("usual_name", ""),
        )
    Application.objects.create(
        name="Conventions ISCG",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=config["redirect_uri"],
        post_logout_redirect_uris=config["post_logout_redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server(
        "127.0.0.1", 0, WSGIHandler(), server_class=ThreadingServer, handler_class=QuietHandler
    )
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
