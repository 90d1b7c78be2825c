"""Every page × every demo role → the expected answer.

The table below is the access policy, read as a whole: one row per URL (built
with a real Niort or Ermont object of the demo), per method, and one column per
demo account. A route without a row fails ``test_every_route_has_a_row``, so a
new page cannot ship without saying who may open it.

Answers: 200, 405, 403 (may see the object, may not do this), 404 (the object
is out of the user's scope: never 403, so that its existence does not leak),
302 (a redirect elsewhere than the login page), login (redirect to the login
page), 400 (a question left unanswered: the administrator's open-data files
need the publishing organisation; or the empty form refused, on the pages that answer
a refused form with 400), 410 (a withdrawn publication, on the public pages), 401
(the API's data, which answer a key only, never a browser's session). Writes
are sent with an empty form (or nothing, for the buttons) inside a transaction rolled
back after each request, so no data changes.

Columns: admin; vnior = ville.niort (Collectivité 79); dsp79 = ddsp79; fv79
(Coordination employeur 79); isc = intervenant.niort; valp = valparisis
(Collectivité 95); dsp95 = ddsp95; pre79 = prefecture79 (Partenaire en lecture
79); pil79 = pilotage79 (Pilotage départemental of the same préfecture: every post
of the 79, read only); pilN = pilotage.national (Pilotage national: every post of the
country, read only, validated statistics); anon = not logged in. Rows are grouped by URL namespace ([site] has none).
"""

import io

import openpyxl
import pytest
from django.db import transaction
from django.utils.html import escape

from tests.security.conftest import ROLES
from tests.security.urls import ROUTES, build_url, in_scope, project_routes, route_of

pytestmark = pytest.mark.django_db

MATRIX = """
# page                       objet  HTTP admin vnior dsp79 fv79  isc   valp  dsp95 pre79 pil79 pilN  anon

[site]
dashboard                    -      GET  200   200   200   200   200   200   200   200   200   200   login
healthz                      -      GET  200   200   200   200   200   200   200   200   200   200   200
healthz                      -      POST 405   405   405   405   405   405   405   405   405   405   405
login                        -      GET  200   200   200   200   200   200   200   200   200   200   200
login                        -      POST 200   200   200   200   200   200   200   200   200   200   200
logout                       -      GET  405   405   405   405   405   405   405   405   405   405   login
logout                       -      POST login login login login login login login login login login login
proconnect_login             -      GET  404   404   404   404   404   404   404   404   404   404   404
proconnect_login             -      POST 405   405   405   405   405   405   405   405   405   405   405
proconnect_callback          -      GET  404   404   404   404   404   404   404   404   404   404   404
proconnect_callback          -      POST 405   405   405   405   405   405   405   405   405   405   405
password_change              -      GET  200   200   200   200   200   200   200   200   200   200   login
password_change              -      POST 200   200   200   200   200   200   200   200   200   200   login
password_change_done         -      GET  200   200   200   200   200   200   200   200   200   200   login
password_reset               -      GET  200   200   200   200   200   200   200   200   200   200   200
password_reset               -      POST 200   200   200   200   200   200   200   200   200   200   200
password_reset_done          -      GET  200   200   200   200   200   200   200   200   200   200   200
password_reset_confirm       -      GET  200   200   200   200   200   200   200   200   200   200   200
password_reset_confirm       -      POST 200   200   200   200   200   200   200   200   200   200   200
password_reset_complete      -      GET  200   200   200   200   200   200   200   200   200   200   200
invitation_accept            -      GET  404   404   404   404   404   404   404   404   404   404   404
invitation_accept            -      POST 404   404   404   404   404   404   404   404   404   404   404
profile                      -      GET  200   200   200   200   200   200   200   200   200   200   login
profile                      -      POST 302   302   302   302   302   302   302   302   302   302   login
api_token_create             -      GET  405   405   405   405   405   405   405   405   405   405   login
api_token_create             -      POST 400   400   400   400   400   400   400   400   400   400   login
api_token_revoke             -      GET  405   405   405   405   405   405   405   405   405   405   login
api_token_revoke             -      POST 404   302   404   404   404   404   404   404   404   404   login
webhooks                     niort  GET  200   200   404   404   404   404   404   404   404   404   login
webhooks                     niort  POST 400   400   404   404   404   404   404   404   404   404   login
webhooks                     ermont GET  200   404   404   404   404   200   404   404   404   404   login
webhook_delete               niort  GET  405   405   405   405   405   405   405   405   405   405   login
webhook_delete               niort  POST 302   302   404   404   404   404   404   404   404   404   login
webhook_delete               ermont POST 302   404   404   404   404   302   404   404   404   404   login
calendar_feed                -      GET  200   200   200   200   200   200   200   200   200   200   200
accessibility                -      GET  200   200   200   200   200   200   200   200   200   200   200
legal_notice                 -      GET  200   200   200   200   200   200   200   200   200   200   200
personal_data                -      GET  200   200   200   200   200   200   200   200   200   200   200
help                         -      GET  200   200   200   200   200   200   200   200   200   200   200

[partners]
list                         -      GET  200   200   200   200   200   200   200   200   200   200   login
create                       -      GET  200   200   403   403   403   200   403   403   403   403   login
create                       -      POST 200   200   403   403   403   200   403   403   403   403   login
import                       -      GET  200   403   403   403   403   403   403   403   403   403   login
import                       -      POST 400   403   403   403   403   403   403   403   403   403   login
import_preview               -      GET  302   403   403   403   403   403   403   403   403   403   login
import_preview               -      POST 302   403   403   403   403   403   403   403   403   403   login
template_xlsx                -      GET  200   403   403   403   403   403   403   403   403   403   login
template_csv                 -      GET  200   403   403   403   403   403   403   403   403   403   login
detail                       niort  GET  200   200   200   200   200   200   200   200   200   200   login
detail                       ermont GET  200   200   200   200   200   200   200   200   200   200   login
edit                         niort  GET  200   200   403   403   403   403   403   403   403   403   login
edit                         niort  POST 200   200   403   403   403   403   403   403   403   403   login
edit                         ermont GET  200   403   403   403   403   200   403   403   403   403   login
edit                         ermont POST 200   403   403   403   403   200   403   403   403   403   login
logo                         niort  GET  200   200   404   404   404   404   404   404   404   404   login
logo                         ermont GET  200   404   404   404   404   200   404   404   404   404   login
representative_create        niort  GET  200   200   403   403   403   403   403   403   403   403   login
representative_create        niort  POST 200   200   403   403   403   403   403   403   403   403   login
representative_create        ermont GET  200   403   403   403   403   200   403   403   403   403   login
representative_create        ermont POST 200   403   403   403   403   200   403   403   403   403   login
representative_edit          niort  GET  200   200   403   403   403   403   403   403   403   403   login
representative_edit          niort  POST 200   200   403   403   403   403   403   403   403   403   login
representative_edit          ermont GET  200   403   403   403   403   200   403   403   403   403   login
representative_edit          ermont POST 200   403   403   403   403   200   403   403   403   403   login
team                         niort  GET  200   200   404   404   404   404   404   404   404   404   login
team                         ermont GET  200   404   404   404   404   200   404   404   404   404   login
team_invite                  niort  GET  200   200   404   404   404   404   404   404   404   404   login
team_invite                  niort  POST 200   200   404   404   404   404   404   404   404   404   login
team_invite                  ermont GET  200   404   404   404   404   200   404   404   404   404   login
team_invite                  ermont POST 200   404   404   404   404   200   404   404   404   404   login
team_import                  niort  GET  200   200   404   404   404   404   404   404   404   404   login
team_import                  niort  POST 400   400   404   404   404   404   404   404   404   404   login
team_import                  ermont GET  200   404   404   404   404   200   404   404   404   404   login
team_import                  ermont POST 400   404   404   404   404   400   404   404   404   404   login
team_import_preview          niort  GET  302   302   404   404   404   404   404   404   404   404   login
team_import_preview          niort  POST 302   302   404   404   404   404   404   404   404   404   login
team_import_preview          ermont GET  302   404   404   404   404   302   404   404   404   404   login
team_import_preview          ermont POST 302   404   404   404   404   302   404   404   404   404   login
team_template_xlsx           niort  GET  200   200   404   404   404   404   404   404   404   404   login
team_template_xlsx           ermont GET  200   404   404   404   404   200   404   404   404   404   login
team_template_csv            niort  GET  200   200   404   404   404   404   404   404   404   404   login
team_template_csv            ermont GET  200   404   404   404   404   200   404   404   404   404   login
team_member_action           niort  POST 302   302   404   404   404   404   404   404   404   404   login
team_member_action           ermont POST 302   404   404   404   404   302   404   404   404   404   login

[conventions]
list                         -      GET  200   200   200   200   200   200   200   200   200   200   login
create                       -      GET  200   200   403   403   403   200   403   403   403   403   login
create                       -      POST 400   400   403   403   403   400   403   403   403   403   login
create_from                  -      GET  200   200   403   403   403   200   403   403   403   403   login
create_from                  -      POST 200   200   403   403   403   200   403   403   403   403   login
detail                       niort  GET  200   200   200   200   200   404   404   200   200   200   login
detail                       ermont GET  200   404   404   404   404   200   200   404   404   200   login
edit                         niort  GET  200   200   403   403   403   404   404   403   403   403   login
edit                         niort  POST 200   200   403   403   403   404   404   403   403   403   login
entry_step                   niort  GET  200   200   403   403   403   404   404   403   403   403   login
entry_step                   niort  POST 400   400   403   403   403   404   404   403   403   403   login
entry_summary                niort  GET  200   200   403   403   403   404   404   403   403   403   login
entry_summary                niort  POST 302   302   403   403   403   404   404   403   403   403   login
entry_resume                 niort  GET  302   302   403   403   403   404   404   403   403   403   login
edit                         ermont GET  200   404   404   404   404   200   403   404   404   403   login
edit                         ermont POST 200   404   404   404   404   200   403   404   404   403   login
renew                        niort  GET  405   405   405   405   405   405   405   405   405   405   login
renew                        niort  POST 302   302   403   403   403   404   404   403   403   403   login
renew                        ermont GET  405   405   405   405   405   405   405   405   405   405   login
renew                        ermont POST 302   404   404   404   404   302   403   404   404   403   login
scan                         niort  GET  200   200   200   200   200   404   404   200   200   200   login
scan                         ermont GET  200   404   404   404   404   200   200   404   404   200   login
scan_version                 niort  GET  200   200   200   200   200   404   404   200   200   200   login
scan_version                 ermont GET  200   404   404   404   404   200   200   404   404   200   login
upload_scan                  niort  GET  200   200   403   403   403   404   404   403   403   403   login
upload_scan                  niort  POST 200   200   403   403   403   404   404   403   403   403   login
upload_scan                  ermont GET  200   404   404   404   404   200   403   404   404   403   login
upload_scan                  ermont POST 200   404   404   404   404   200   403   404   404   403   login
follow_up                    niort  GET  200   200   403   403   403   404   404   403   403   403   login
follow_up                    niort  POST 400   400   403   403   403   404   404   403   403   403   login
follow_up                    ermont GET  200   404   404   404   404   200   403   404   404   403   login
follow_up                    ermont POST 400   404   404   404   404   400   403   404   404   403   login
annexes                      niort  GET  200   200   403   403   403   404   404   403   403   403   login
annexes                      niort  POST 400   400   403   403   403   404   404   403   403   403   login
annexes                      ermont GET  200   404   404   404   404   200   403   404   404   403   login
annexes                      ermont POST 400   404   404   404   404   400   403   404   404   403   login
associated_partners          niort  GET  200   200   403   403   403   404   404   403   403   403   login
associated_partners          niort  POST 400   400   403   403   403   404   404   403   403   403   login
associated_partners          ermont GET  200   404   404   404   404   200   403   404   404   403   login
associated_partners          ermont POST 400   404   404   404   404   400   403   404   404   403   login
convention_pdf               niort  GET  200   200   200   200   200   404   404   200   200   200   login
convention_pdf               ermont GET  200   404   404   404   404   200   200   404   404   200   login
dossier                      niort  GET  200   200   200   200   200   404   404   200   200   200   login
dossier                      ermont GET  200   404   404   404   404   200   200   404   404   200   login
amendment_pdf                niort  GET  200   200   200   200   200   404   404   200   200   200   login
amendment_pdf                ermont GET  200   404   404   404   404   200   200   404   404   200   login
convention_editable          niort  GET  200   200   200   200   200   404   404   200   200   200   login
convention_editable          ermont GET  200   404   404   404   404   200   200   404   404   200   login
amendment_editable           niort  GET  200   200   200   200   200   404   404   200   200   200   login
amendment_editable           ermont GET  200   404   404   404   404   200   200   404   404   200   login
lifecycle                    niort  GET  200   200   200   200   200   404   404   200   200   200   login
lifecycle                    ermont GET  200   404   404   404   404   200   200   404   404   200   login
consolidated_text            niort  GET  200   200   200   200   200   404   404   200   200   200   login
consolidated_text            ermont GET  200   404   404   404   404   200   200   404   404   200   login
amendment_create             niort  GET  200   200   403   403   403   404   404   403   403   403   login
amendment_create             niort  POST 200   200   403   403   403   404   404   403   403   403   login
amendment_create             ermont GET  200   404   404   404   404   200   403   404   404   403   login
amendment_create             ermont POST 200   404   404   404   404   200   403   404   404   403   login
amendment_detail             niort  GET  200   200   200   200   200   404   404   200   200   200   login
amendment_detail             ermont GET  200   404   404   404   404   200   200   404   404   200   login
renewal_create               niort  GET  200   200   403   403   403   404   404   403   403   403   login
renewal_create               niort  POST 200   200   403   403   403   404   404   403   403   403   login
renewal_create               ermont GET  200   404   404   404   404   200   403   404   404   403   login
renewal_create               ermont POST 200   404   404   404   404   200   403   404   404   403   login
terminate                    niort  GET  200   200   403   403   403   404   404   403   403   403   login
terminate                    niort  POST 200   200   403   403   403   404   404   403   403   403   login
terminate                    ermont GET  200   404   404   404   404   200   403   404   404   403   login
terminate                    ermont POST 200   404   404   404   404   200   403   404   404   403   login
cancel                       niort  GET  200   200   403   403   403   404   404   403   403   403   login
cancel                       niort  POST 200   200   403   403   403   404   404   403   403   403   login
cancel                       ermont GET  200   404   404   404   404   200   403   404   404   403   login
cancel                       ermont POST 200   404   404   404   404   200   403   404   404   403   login
post_list                    -      GET  200   200   200   200   200   200   200   200   200   200   login
post_create                  -      GET  200   200   403   403   403   200   403   403   403   403   login
post_create                  -      POST 200   200   403   403   403   200   403   403   403   403   login
posts_import                 -      GET  200   403   403   403   403   403   403   403   403   403   login
posts_import                 -      POST 400   403   403   403   403   403   403   403   403   403   login
posts_import_preview         -      GET  302   403   403   403   403   403   403   403   403   403   login
posts_import_preview         -      POST 302   403   403   403   403   403   403   403   403   403   login
posts_template_xlsx          -      GET  200   403   403   403   403   403   403   403   403   403   login
posts_template_csv           -      GET  200   403   403   403   403   403   403   403   403   403   login
post_detail                  niort  GET  200   200   200   200   200   404   404   200   200   200   login
post_detail                  ermont GET  200   404   404   404   404   200   200   404   404   200   login
post_edit                    niort  GET  200   200   403   403   403   404   404   403   403   403   login
post_edit                    niort  POST 200   200   403   403   403   404   404   403   403   403   login
post_edit                    ermont GET  200   404   404   404   404   200   403   404   404   403   login
post_edit                    ermont POST 200   404   404   404   404   200   403   404   404   403   login
post_holder_change           niort  GET  200   200   403   200   403   404   404   403   403   403   login
post_holder_change           niort  POST 200   200   403   200   403   404   404   403   403   403   login
post_holder_change           ermont GET  200   404   404   404   404   200   403   404   404   403   login
post_holder_change           ermont POST 200   404   404   404   404   200   403   404   404   403   login
post_sites                   niort  GET  200   200   403   403   403   404   404   403   403   403   login
post_sites                   niort  POST 200   200   403   403   403   404   404   403   403   403   login
post_sites                   ermont GET  200   404   404   404   404   200   403   404   404   403   login
post_sites                   ermont POST 200   404   404   404   404   200   403   404   404   403   login
deliberation_list            -      GET  200   200   200   200   200   200   200   200   200   200   login
deliberation_create          -      GET  200   200   403   403   403   200   403   403   403   403   login
deliberation_create          -      POST 200   200   403   403   403   200   403   403   403   403   login
deliberation_create?citee    -      GET  200   200   403   403   403   200   403   403   403   403   login
deliberation_create?citee    -      POST 200   200   403   403   403   200   403   403   403   403   login
deliberation_create?conseil  niort  GET  200   200   404   404   404   404   404   404   404   404   login
deliberation_create?conseil  niort  POST 200   200   404   404   404   404   404   404   404   404   login
deliberation_create?conseil  ermont GET  200   404   404   404   404   200   404   404   404   404   login
deliberation_create?conseil  ermont POST 200   404   404   404   404   200   404   404   404   404   login
deliberation_detail          niort  GET  200   200   200   200   200   404   404   200   200   200   login
deliberation_detail          ermont GET  200   404   404   404   404   200   200   404   404   200   login
deliberation_pdf             niort  GET  200   200   200   200   200   404   404   200   200   200   login
deliberation_pdf             ermont GET  200   404   404   404   404   200   200   404   404   200   login
deliberation_editable        niort  GET  200   200   200   200   200   404   404   200   200   200   login
deliberation_editable        ermont GET  200   404   404   404   404   200   200   404   404   200   login
deliberation_edit            niort  GET  200   200   403   403   403   404   404   403   403   403   login
deliberation_edit            niort  POST 200   200   403   403   403   404   404   403   403   403   login
deliberation_edit            ermont GET  200   404   404   404   404   200   403   404   404   403   login
deliberation_edit            ermont POST 200   404   404   404   404   200   403   404   404   403   login
deliberation_attendance      niort  GET  200   200   403   403   403   404   404   403   403   403   login
deliberation_attendance      niort  POST 200   200   403   403   403   404   404   403   403   403   login
deliberation_attendance      ermont GET  302   404   404   404   404   302   403   404   404   403   login
deliberation_attendance      ermont POST 302   404   404   404   404   302   403   404   404   403   login
deliberation_publish         niort  GET  405   405   405   405   405   405   405   405   405   405   login
deliberation_publish         niort  POST 400   400   403   403   403   404   404   403   403   403   login
deliberation_publish         ermont POST 400   404   404   404   404   400   403   404   404   403   login
deliberation_withdraw        niort  GET  405   405   405   405   405   405   405   405   405   405   login
deliberation_withdraw        niort  POST 400   400   403   403   403   404   404   403   403   403   login
deliberation_withdraw        ermont POST 400   404   404   404   404   400   403   404   404   403   login
council_list                 -      GET  200   200   200   200   200   200   200   200   200   200   login
council_list                 -      POST 200   200   403   403   403   200   403   403   403   403   login
council_detail               niort  GET  200   200   404   404   404   404   404   404   404   404   login
council_detail               niort  POST 200   200   404   404   404   404   404   404   404   404   login
council_detail               ermont GET  200   404   404   404   404   200   404   404   404   404   login
council_detail               ermont POST 200   404   404   404   404   200   404   404   404   404   login
council_member_edit          niort  GET  200   200   404   404   404   404   404   404   404   404   login
council_member_edit          niort  POST 200   200   404   404   404   404   404   404   404   404   login
council_member_edit          ermont GET  200   404   404   404   404   200   404   404   404   404   login
council_member_edit          ermont POST 200   404   404   404   404   200   404   404   404   404   login
funding_overview             -      GET  200   200   200   200   200   200   200   200   200   200   login
departement_funding          niort  GET  200   403   403   403   403   403   403   403   200   200   login
departement_funding          ermont GET  200   403   403   403   403   403   403   403   404   200   login
partner_funding              niort  GET  200   200   200   200   200   200   200   200   200   200   login
partner_funding              ermont GET  200   200   200   200   200   200   200   200   200   200   login
payment_proof                niort  GET  200   200   200   200   200   404   404   200   200   200   login
payment_proof                ermont GET  200   404   404   404   404   200   200   404   404   200   login
payment_proofs               niort  GET  200   200   200   200   200   404   404   200   200   200   login
payment_proofs               niort  POST 200   200   403   403   403   404   404   403   403   403   login
payment_proofs               ermont GET  200   404   404   404   404   200   200   404   404   200   login
payment_proofs               ermont POST 200   404   404   404   404   200   403   404   404   403   login
payment_proof_version        niort  GET  200   200   200   200   200   404   404   200   200   200   login
payment_proof_version        ermont GET  200   404   404   404   404   200   200   404   404   200   login
payment_cancel               niort  GET  200   200   403   403   403   404   404   403   403   403   login
payment_cancel               niort  POST 200   200   403   403   403   404   404   403   403   403   login
payment_cancel               ermont GET  200   404   404   404   404   200   403   404   404   403   login
payment_cancel               ermont POST 200   404   404   404   404   200   403   404   404   403   login
contribution_update          niort  GET  200   200   403   403   403   404   404   403   403   403   login
contribution_update          niort  POST 200   200   403   403   403   404   404   403   403   403   login
contribution_update          ermont GET  200   404   404   404   404   200   403   404   404   403   login
contribution_update          ermont POST 200   404   404   404   404   200   403   404   404   403   login
funding_plan                 niort  GET  200   200   200   200   200   404   404   200   200   200   login
funding_plan                 ermont GET  200   404   404   404   404   200   200   404   404   200   login
funding_plan_csv             niort  GET  200   200   200   200   200   404   404   200   200   200   login
funding_plan_csv             ermont GET  200   404   404   404   404   200   200   404   404   200   login
funding_plan_xlsx            niort  GET  200   200   200   200   200   404   404   200   200   200   login
funding_plan_xlsx            ermont GET  200   404   404   404   404   200   200   404   404   200   login
payments_csv                 niort  GET  200   200   200   200   200   404   404   200   200   200   login
payments_csv                 ermont GET  200   404   404   404   404   200   200   404   404   200   login
payment_create               niort  GET  200   200   403   403   403   404   404   403   403   403   login
payment_create               niort  POST 200   200   403   403   403   404   404   403   403   403   login
payment_create               ermont GET  200   404   404   404   404   200   403   404   404   403   login
payment_create               ermont POST 200   404   404   404   404   200   403   404   404   403   login
contribution_create          niort  GET  200   200   403   403   403   404   404   403   403   403   login
contribution_create          niort  POST 200   200   403   403   403   404   404   403   403   403   login
contribution_create          ermont GET  200   404   404   404   404   200   403   404   404   403   login
contribution_create          ermont POST 200   404   404   404   404   200   403   404   404   403   login
post_cost_edit               niort  GET  200   200   403   403   403   404   404   403   403   403   login
post_cost_edit               niort  POST 200   200   403   403   403   404   404   403   403   403   login
post_cost_edit               ermont GET  200   404   404   404   404   200   403   404   404   403   login
post_cost_edit               ermont POST 200   404   404   404   404   200   403   404   404   403   login
opendata                     -      GET  200   200   200   200   200   200   200   200   200   200   login
opendata_deliberations_csv   -      GET  400   200   200   200   200   200   200   200   200   200   login
opendata_subsidies_csv       -      GET  400   200   200   200   200   200   200   200   200   200   login

[activity]
home                         -      GET  200   200   302   200   302   200   302   200   200   200   login
status_board                 -      GET  200   200   200   200   200   200   200   200   200   200   login
quarter_entry                niort  GET  200   403   200   200   403   404   404   403   403   403   login
quarter_entry                niort  POST 200   403   200   200   403   404   404   403   403   403   login
quarter_entry                ermont GET  200   404   404   404   404   403   200   404   404   403   login
quarter_entry                ermont POST 200   404   404   404   404   403   200   404   404   403   login
quarter_submit               niort  GET  405   405   405   405   405   405   405   405   405   405   login
quarter_submit               niort  POST 302   403   302   302   302   404   404   403   403   403   login
quarter_submit               ermont GET  405   405   405   405   405   405   405   405   405   405   login
quarter_submit               ermont POST 302   404   404   404   404   403   302   404   404   403   login
quarter_validate             niort  GET  405   405   405   405   405   405   405   405   405   405   login
quarter_validate             niort  POST 302   403   302   403   403   404   404   403   403   403   login
quarter_validate             ermont GET  405   405   405   405   405   405   405   405   405   405   login
quarter_validate             ermont POST 302   404   404   404   404   403   302   404   404   403   login
quarter_reopen               niort  GET  200   403   200   403   403   404   404   403   403   403   login
quarter_reopen               niort  POST 200   403   200   403   403   404   404   403   403   403   login
quarter_reopen               ermont GET  200   404   404   404   404   403   200   404   404   403   login
quarter_reopen               ermont POST 200   404   404   404   404   403   200   404   404   403   login
month_entry                  niort  GET  200   403   200   200   200   404   404   403   403   403   login
month_entry                  niort  POST 200   403   200   200   200   404   404   403   403   403   login
month_entry                  ermont GET  200   404   404   404   404   403   200   404   404   403   login
month_entry                  ermont POST 200   404   404   404   404   403   200   404   404   403   login
statistics_import            niort  GET  200   403   200   200   200   404   404   403   403   403   login
statistics_import            niort  POST 400   403   400   400   400   404   404   403   403   403   login
statistics_import            ermont GET  200   404   404   404   404   403   200   404   404   403   login
statistics_import            ermont POST 400   404   404   404   404   403   400   404   404   403   login
statistics_import_preview    niort  GET  302   403   302   302   302   404   404   403   403   403   login
statistics_import_preview    niort  POST 302   403   302   302   302   404   404   403   403   403   login
statistics_import_preview    ermont GET  302   404   404   404   404   403   302   404   404   403   login
statistics_import_preview    ermont POST 302   404   404   404   404   403   302   404   404   403   login
statistics_template_xlsx     niort  GET  200   403   200   200   200   404   404   403   403   403   login
statistics_template_xlsx     ermont GET  200   404   404   404   404   403   200   404   404   403   login
statistics_template_csv      niort  GET  200   403   200   200   200   404   404   403   403   403   login
statistics_template_csv      ermont GET  200   404   404   404   404   403   200   404   404   403   login
annual_validate              niort  GET  405   405   405   405   405   405   405   405   405   405   login
annual_validate              niort  POST 302   403   302   403   403   404   404   403   403   403   login
annual_validate              ermont GET  405   405   405   405   405   405   405   405   405   405   login
annual_validate              ermont POST 302   404   404   404   404   403   302   404   404   403   login
bilan_post                   niort  GET  200   200   200   200   200   404   404   200   200   200   login
bilan_post                   niort  POST 200   403   200   200   200   404   404   403   403   403   login
bilan_post                   ermont GET  200   404   404   404   404   200   200   404   404   200   login
bilan_post                   ermont POST 200   404   404   404   404   403   200   404   404   403   login
bilan_post[trimestre]        niort  GET  200   200   200   200   200   404   404   200   200   200   login
bilan_post[trimestre]        ermont GET  200   404   404   404   404   200   200   404   404   200   login
bilan_departement            niort  GET  200   200   200   200   200   404   404   200   200   200   login
bilan_departement            ermont GET  200   404   404   404   404   200   200   404   404   200   login
bilan_departement[trimestre] niort  GET  200   200   200   200   200   404   404   200   200   200   login
bilan_departement[trimestre] ermont GET  200   404   404   404   404   200   200   404   404   200   login
bilan_pdf                    niort  GET  200   200   200   200   200   404   404   200   200   200   login
bilan_pdf                    ermont GET  200   404   404   404   404   200   200   404   404   200   login
export_xlsx                  niort  GET  200   200   200   200   200   404   404   200   200   200   login
export_xlsx                  ermont GET  200   404   404   404   404   200   200   404   404   200   login
export_xlsx[departement]     niort  GET  200   200   200   200   200   404   404   200   200   200   login
export_xlsx[departement]     ermont GET  200   404   404   404   404   200   200   404   404   200   login
export_csv                   niort  GET  200   200   200   200   200   404   404   200   200   200   login
export_csv                   ermont GET  200   404   404   404   404   200   200   404   404   200   login
export_csv[national]         -      GET  302   403   403   403   403   403   403   403   403   302   login
export_national              -      GET  405   405   405   405   405   405   405   405   405   405   login
export_national              -      POST 400   403   403   403   403   403   403   403   403   400   login
bilan_national               -      GET  200   403   403   403   403   403   403   403   403   200   login
bilan_national[trimestre]    -      GET  200   403   403   403   403   403   403   403   403   200   login

[steering]
national                     -      GET  200   404   404   404   404   404   404   404   404   200   login
departement                  niort  GET  200   404   404   404   404   404   404   404   200   200   login
departement                  ermont GET  200   404   404   404   404   404   404   404   404   200   login
national_pdf                 -      GET  200   404   404   404   404   404   404   404   404   200   login
national_xlsx                -      GET  200   404   404   404   404   404   404   404   404   200   login
departement_pdf              niort  GET  200   404   404   404   404   404   404   404   200   200   login
departement_pdf              ermont GET  200   404   404   404   404   404   404   404   404   200   login
departement_xlsx             niort  GET  200   404   404   404   404   404   404   404   200   200   login
departement_xlsx             ermont GET  200   404   404   404   404   404   404   404   404   200   login
targets                      -      GET  200   404   404   404   404   404   404   404   404   404   login
targets                      -      POST 400   404   404   404   404   404   404   404   404   404   login

# Public (issue #22): the same answer for everyone, logged in or not; nothing is written.
[public]
organisation_deliberations   niort  GET  200   200   200   200   200   200   200   200   200   200   200
organisation_deliberations   niort  POST 405   405   405   405   405   405   405   405   405   405   405
organisation_deliberations   ermont GET  200   200   200   200   200   200   200   200   200   200   200
deliberations_csv            niort  GET  200   200   200   200   200   200   200   200   200   200   200
deliberations_csv            ermont GET  200   200   200   200   200   200   200   200   200   200   200
subsidies_csv                niort  GET  200   200   200   200   200   200   200   200   200   200   200
subsidies_csv                ermont GET  200   200   200   200   200   200   200   200   200   200   200
deliberation_pdf             niort  GET  200   200   200   200   200   200   200   200   200   200   200
deliberation_pdf             niort  POST 405   405   405   405   405   405   405   405   405   405   405
deliberation_pdf[retiree]    niort  GET  410   410   410   410   410   410   410   410   410   410   410

# Each user's own notifications: another's is out of scope (404). An empty choice is refused.
[notifications]
list                         -      GET  200   200   200   200   200   200   200   200   200   200   login
list                         -      POST 405   405   405   405   405   405   405   405   405   405   login
read_all                     -      GET  405   405   405   405   405   405   405   405   405   405   login
read_all                     -      POST 302   302   302   302   302   302   302   302   302   302   login
preferences                  -      GET  200   200   200   200   200   200   200   200   200   200   login
preferences                  -      POST 400   400   400   400   400   400   400   400   400   400   login
open                         -      GET  404   302   404   404   404   404   404   404   404   404   login
open                         -      POST 405   405   405   405   405   405   405   405   405   405   login
read                         -      GET  405   405   405   405   405   405   405   405   405   405   login
read                         -      POST 404   302   404   404   404   404   404   404   404   404   login

# Each user's own imports and exports: another's is out of scope (404).
[runs]
list                         -      GET  200   200   200   200   200   200   200   200   200   200   login
list                         -      POST 405   405   405   405   405   405   405   405   405   405   login
detail                       -      GET  404   200   404   404   404   404   404   404   404   404   login
detail                       -      POST 405   405   405   405   405   405   405   405   405   405   login
state                        -      GET  404   200   404   404   404   404   404   404   404   404   login
file                         -      GET  404   200   404   404   404   404   404   404   404   404   login
file                         -      POST 405   405   405   405   405   405   405   405   405   405   login

# The API: described to everyone; its data answer a key only (401 to a browser's session).
[api]
schema                       -      GET  200   200   200   200   200   200   200   200   200   200   200
schema                       -      POST 405   405   405   405   405   405   405   405   405   405   405
docs                         -      GET  200   200   200   200   200   200   200   200   200   200   200
docs                         -      POST 405   405   405   405   405   405   405   405   405   405   405
not_found                    -      GET  404   404   404   404   404   404   404   404   404   404   404
not_found                    -      POST 404   404   404   404   404   404   404   404   404   404   404
organisation-list            -      GET  401   401   401   401   401   401   401   401   401   401   401
organisation-list            -      POST 401   401   401   401   401   401   401   401   401   401   401
organisation-detail          niort  GET  401   401   401   401   401   401   401   401   401   401   401
post-list                    -      GET  401   401   401   401   401   401   401   401   401   401   401
post-detail                  ermont GET  401   401   401   401   401   401   401   401   401   401   401
convention-list              -      GET  401   401   401   401   401   401   401   401   401   401   401
convention-detail            niort  GET  401   401   401   401   401   401   401   401   401   401   401
convention-detail            ermont POST 401   401   401   401   401   401   401   401   401   401   401
deliberation-list            -      GET  401   401   401   401   401   401   401   401   401   401   401
deliberation-detail          niort  GET  401   401   401   401   401   401   401   401   401   401   401
year-amount-list             -      GET  401   401   401   401   401   401   401   401   401   401   401
payment-list                 -      GET  401   401   401   401   401   401   401   401   401   401   401
payment-list                 -      POST 401   401   401   401   401   401   401   401   401   401   401
payment-detail               ermont GET  401   401   401   401   401   401   401   401   401   401   401
quarter-list                 -      GET  401   401   401   401   401   401   401   401   401   401   401
quarter                      niort  GET  401   401   401   401   401   401   401   401   401   401   401
quarter-submit               niort  POST 401   401   401   401   401   401   401   401   401   401   401
bilan-post                   niort  GET  401   401   401   401   401   401   401   401   401   401   401
bilan-departement            ermont GET  401   401   401   401   401   401   401   401   401   401   401
bilan-national               -      GET  401   401   401   401   401   401   401   401   401   401   401
"""

COLUMNS = [*ROLES, "anonymous"]


def parse(matrix):
    rows, namespace = {}, ""
    for line in matrix.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            namespace = line.strip("[]").replace("site", "")
            continue
        short, side, method, *answers = line.split()
        label = f"{namespace}:{short}" if namespace else short
        assert label in ROUTES, f"unknown page in the matrix: {label}"
        assert len(answers) == len(COLUMNS), f"{label} {side} {method}: {len(answers)} answers"
        assert (label, side, method) not in rows, f"{label} {side} {method} twice"
        rows[label, side, method] = dict(zip(COLUMNS, answers, strict=True))
    return rows


EXPECTED = parse(MATRIX)

# Stand-ins for WeasyPrint: who may download a PDF is decided before it is drawn,
# and drawing it a hundred times would only slow the table down (test_pdf draws them).
PDF_RENDERERS = [
    "conventions.agreements.document_views.render_convention_pdf",
    "conventions.agreements.document_views.render_amendment_pdf",
    "conventions.deliberations.views.render_deliberation_pdf",
    "activity.views.exports.post_bilan_pdf",
    "conventions.dossier.contents.render_convention_pdf",
    "conventions.dossier.contents.render_amendment_pdf",
    "conventions.dossier.contents.render_deliberation_pdf",
]


def answer(response) -> str:
    if response.status_code in (301, 302):
        return "login" if response["Location"].startswith("/connexion/") else "302"
    return str(response.status_code)


def request(client, method, url):
    """One request whose writes are rolled back, so that every row starts from the demo."""
    with transaction.atomic():
        response = client.post(url) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return response


def foreign_markers(world, user):
    """What must never appear on a page of ``user``: the conventions and posts out of scope."""
    markers = []
    for side in (world.niort, world.ermont):
        if not in_scope(user, side, "convention"):
            markers.append(f'"{side.convention.get_absolute_url()}')
        if not in_scope(user, side, "post"):
            markers += [side.post.name, escape(side.post.name)]
    return markers


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable_content(response) -> str:
    """The text a person would read in a page, a CSV or a spreadsheet ("" otherwise)."""
    if response.status_code != 200:
        return ""
    content_type = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith(("text/html", "text/csv")):
        return content.decode()
    if content_type == XLSX:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return ""


def test_every_route_has_a_row(demo):
    covered = {route_of(build_url(demo, label, side)) for label, side, _method in EXPECTED}
    missing = project_routes() - covered
    assert not missing, f"routes without a row in the access matrix: {sorted(missing)}"


@pytest.mark.parametrize(("label", "side", "method"), list(EXPECTED))
def test_the_table_never_expects_403_for_an_object_out_of_scope(demo, label, side, method):
    subject = ROUTES[label].subject
    if subject is None:
        return
    for role in ROLES:
        expected = EXPECTED[label, side, method][role]
        if expected != "405" and not in_scope(demo.users[role], demo.side(side), subject):
            assert expected == "404", f"{role} would learn that an object of another scope exists"


@pytest.mark.parametrize(("label", "side", "method"), list(EXPECTED))
def test_each_role_gets_the_expected_answer(client, demo, monkeypatch, label, side, method):
    for renderer in PDF_RENDERERS:
        monkeypatch.setattr(renderer, lambda *args, **kwargs: b"%PDF-1.4 stand-in")
    url = build_url(demo, label, side)
    wrong, leaks = [], []
    for column in COLUMNS:
        client.logout()
        if column != "anonymous":
            client.force_login(demo.users[column])
        response = request(client, method, url)
        if answer(response) != EXPECTED[label, side, method][column]:
            wrong.append(f"{column}: {answer(response)}")
        content = readable_content(response)
        # The calendar feed is its token owner's calendar, whoever holds the address.
        if column not in ("admin", "anonymous") and content and label != "calendar_feed":
            leaks += [
                f"{column}: {m}" for m in foreign_markers(demo, demo.users[column]) if m in content
            ]
    assert not wrong, f"{method} {url}: " + ", ".join(wrong)
    assert not leaks, f"{method} {url} shows what is out of scope: " + ", ".join(leaks)


def test_uploaded_files_are_never_served_at_their_storage_address(client, demo):
    client.force_login(demo.users["admin"])
    for file in (demo.niort.convention.signed_scan, demo.niort.payment.proof):
        assert client.get(file.url).status_code == 404, file.url
