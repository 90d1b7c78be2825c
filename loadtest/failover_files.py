"""make loadtest-failover (loadtest/failover): a file uploaded through one instance,
downloaded through the other once the first is stopped.

    upload --host http://127.0.0.1:8821 --state out/files-state.json
        logs in as a demo collectivité straight on instance a (not through the load
        balancer), and deposits a signed convention on the convention's own page, as a
        person would; keeps the session, the bytes' SHA-256 and the bytes themselves.
    download --host http://127.0.0.1:8822 --name b --balancer http://127.0.0.1:8820 \
             --state out/files-state.json --result out/files.json
        with the same session, downloads the signed convention straight from
        instance b and through the load balancer, and writes what it found for
        check_failover.

The uploaded file is the convention's own PDF, as the application renders it, with a
line of its own at the end: its bytes are like no other upload's.
"""

import argparse
import hashlib
import json
import re
import sys
import time
import uuid
from pathlib import Path

import requests

USERNAME = "ville.niort"
REFERENCE = "niort-2021"
PASSWORD = "convention-demo"  # noqa: S105 (the demo accounts' password, in the README)
TIMEOUT = 60
UPLOADED = "La convention signée est déposée."
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if found is None:
        raise SystemExit("Pas de jeton CSRF dans la page.")
    return found.group(1)


def upload(host: str, state: Path) -> None:
    browser = requests.Session()
    page = browser.get(f"{host}/connexion/", timeout=TIMEOUT)
    response = browser.post(
        f"{host}/connexion/",
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page.text)},
        headers={"Referer": f"{host}/connexion/"},
        timeout=TIMEOUT,
    )
    if "Se déconnecter" not in response.text:
        raise SystemExit(f"{USERNAME} n'a pas pu se connecter sur {host}.")
    pdf = browser.get(f"{host}/conventions/{REFERENCE}/pdf/", timeout=TIMEOUT).content
    if not pdf.startswith(b"%PDF"):
        raise SystemExit("Le PDF de la convention n'a pas pu être téléchargé.")
    content = pdf + f"% loadtest-failover {uuid.uuid4().hex}\n".encode()

    form_url = f"{host}/conventions/{REFERENCE}/convention-signee/deposer/"
    page = browser.get(form_url, timeout=TIMEOUT)
    response = browser.post(
        form_url,
        {"csrfmiddlewaretoken": csrf_token(page.text)},
        files={"scan": ("convention-signee.pdf", content, "application/pdf")},
        headers={"Referer": form_url},
        timeout=TIMEOUT,
    )
    if UPLOADED not in response.text:
        raise SystemExit(f"Dépôt refusé ({response.status_code}) sur {form_url}.")
    # Read back through the same instance: the upload itself worked.
    same = browser.get(f"{host}/conventions/{REFERENCE}/convention-signee/", timeout=TIMEOUT)
    if same.content != content:
        raise SystemExit("La pièce relue sur l'instance du dépôt n'a pas les mêmes octets.")
    state.write_text(
        json.dumps(
            {
                "uploaded_through": host,
                "uploaded_at": time.time(),
                "reference": REFERENCE,
                "sessionid": browser.cookies["sessionid"],
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        ),
        encoding="utf-8",
    )
    print(f"Pièce de {len(content)} octets déposée sur {host} (convention {REFERENCE}).")


def download(host: str, name: str, balancer: str, state_path: Path, result: Path) -> None:
    state = json.loads(state_path.read_text(encoding="utf-8"))
    found = {**state, "downloads": []}
    for label, base in (("instance", host), ("répartiteur", balancer)):
        browser = requests.Session()
        browser.cookies.set("sessionid", state["sessionid"])
        url = f"{base}/conventions/{state['reference']}/convention-signee/"
        try:
            response = browser.get(url, timeout=TIMEOUT, allow_redirects=False)
            content, status = response.content, response.status_code
            # Straight from the instance, no load balancer to say who answered.
            served_by = response.headers.get("X-Served-By", name if base == host else "")
            location = response.headers.get("Location", "")
        except requests.RequestException as error:
            content, status, served_by, location = b"", 0, "", str(error)[:200]
        found["downloads"].append(
            {
                "through": label,
                "url": url,
                "status": status,
                "served_by": served_by,
                "location": location,
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
                "same": hashlib.sha256(content).hexdigest() == state["sha256"],
            }
        )
    found["downloaded_at"] = time.time()
    result.write_text(json.dumps(found, indent=2), encoding="utf-8")
    for entry in found["downloads"]:
        print(
            f"Téléchargement par {entry['through']} ({entry['url']}) : {entry['status']}, "
            f"{entry['size']} octets, {'mêmes octets' if entry['same'] else 'octets différents'}."
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("upload")
    up.add_argument("--host", required=True)
    up.add_argument("--state", required=True, type=Path)
    down = commands.add_parser("download")
    down.add_argument("--host", required=True)
    down.add_argument("--name", required=True, help="the instance at --host")
    down.add_argument("--balancer", required=True)
    down.add_argument("--state", required=True, type=Path)
    down.add_argument("--result", required=True, type=Path)
    args = parser.parse_args(argv)
    if args.command == "upload":
        upload(args.host, args.state)
    else:
        download(args.host, args.name, args.balancer, args.state, args.result)


if __name__ == "__main__":
    main(sys.argv[1:])
