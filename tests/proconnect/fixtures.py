"""The OpenID Connect provider of the ProConnect tests, as pytest fixtures.

`proconnect_provider` starts tests/proconnect/provider.py (django-oauth-toolkit, its own
process, database and RSA key generated here) on a loopback port, with the product's live
server as its registered client; `proconnect` turns the product's ProConnect settings on,
pointing at it. Every exchange between the two is real HTTP over sockets.
"""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from partners import proconnect as proconnect_module

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "iscg-conventions-test"
CLIENT_SECRET = "secret-du-client-de-test-" + "z" * 20
PROVIDER_PASSWORD = "mot-de-passe-du-fournisseur"

# The agents the provider knows; the product's accounts are made by each test.
KNOWN_AGENT = {"username": "agent-connu", "email": "Agent.Connu@Interieur.Gouv.fr"}
UNKNOWN_AGENT = {"username": "agent-inconnu", "email": "personne@interieur.gouv.fr"}
INACTIVE_AGENT = {"username": "agent-inactif", "email": "inactif@interieur.gouv.fr"}


@dataclass
class Provider:
    issuer: str
    # The provider's signing key, for the tests that forge a token it could have signed.
    rsa_private_key: str


def rsa_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="session")
def proconnect_provider(live_server, tmp_path_factory):
    private_key = rsa_private_key_pem()
    config = {
        "database": str(tmp_path_factory.mktemp("provider") / "provider.sqlite3"),
        "rsa_private_key": private_key,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{live_server.url}/proconnect/retour/",
        "post_logout_redirect_uri": f"{live_server.url}/connexion/",
        "agents": [
            {**agent, "password": PROVIDER_PASSWORD, "given_name": "Camille", "usual_name": "Test"}
            for agent in (KNOWN_AGENT, UNKNOWN_AGENT, INACTIVE_AGENT)
        ],
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.proconnect.provider"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    process.stdin.write(json.dumps(config))
    process.stdin.close()
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        raise RuntimeError("the test OpenID Connect provider did not start")
    yield Provider(issuer=f"http://127.0.0.1:{port}/o", rsa_private_key=private_key)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def proconnect(settings, proconnect_provider):
    settings.PROCONNECT_ISSUER = proconnect_provider.issuer
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.PROCONNECT_SCOPES = "openid email given_name usual_name"
    yield proconnect_provider
    proconnect_module._discovered.clear()
