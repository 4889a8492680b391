"""Real Odoo clients we did not write, used exactly as Odoo's external API documentation shows, against the simulator.

Standard library only: xmlrpc.client for XML-RPC, urllib for JSON-RPC and JSON-2. Reads the connection from the
environment (ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD, ODOO_API_KEY, ODOO_MAJOR), asserts, and prints one JSON
line of what it saw for the calling test to check.
"""
import json
import os
import sys
import urllib.error
import urllib.request
import xmlrpc.client

url = os.environ["ODOO_URL"]
db = os.environ["ODOO_DB"]
username = os.environ["ODOO_USER"]
password = os.environ["ODOO_PASSWORD"]
api_key = os.environ["ODOO_API_KEY"]
major = int(os.environ["ODOO_MAJOR"])
seen = {}

# --- XML-RPC, as in the "External RPC API" docs -------------------------------------------------------------------
common = xmlrpc.client.ServerProxy("{}/xmlrpc/2/common".format(url))
version = common.version()
assert version["server_version_info"][0] == major, version
seen["xmlrpc_version"] = version["server_version"]

uid = common.authenticate(db, username, password, {})
assert isinstance(uid, int) and uid > 0, uid
assert common.authenticate(db, username, "not-the-password", {}) is False
assert common.authenticate(db, username, api_key, {}) == uid  # an API key works where the password goes
seen["uid"] = uid

models = xmlrpc.client.ServerProxy("{}/xmlrpc/2/object".format(url))
partners = models.execute_kw(
    db, uid, password, "res.partner", "search_read", [[["is_company", "=", False]]], {"fields": ["name", "email", "parent_id"], "limit": 5}
)
assert 0 < len(partners) <= 5 and all("id" in p and "name" in p for p in partners), partners
assert all(p["parent_id"] is False or isinstance(p["parent_id"], list) for p in partners)
count = models.execute_kw(db, uid, api_key, "res.partner", "search_count", [[]])
assert isinstance(count, int) and count >= len(partners)
fields = models.execute_kw(db, uid, password, "res.partner", "fields_get", [], {"attributes": ["string", "help", "type"]})
assert fields["name"]["type"] == "char" and "string" in fields["name"], fields["name"]
new_id = models.execute_kw(db, uid, password, "res.partner", "create", [{"name": "New Partner"}])
assert isinstance(new_id, int), new_id
[created] = models.execute_kw(db, uid, password, "res.partner", "read", [[new_id]], {"fields": ["name"]})
assert created["name"] == "New Partner"
assert models.execute_kw(db, uid, password, "res.partner", "write", [[new_id], {"name": "Newer partner"}]) is True
docs = models.execute_kw(db, uid, password, "documents.document", "search_read", [[]], {"fields": ["name", "folder_id"], "limit": 3, "order": "id asc"})
assert len(docs) == 3
seen["xmlrpc_partner_count"] = count
seen["xmlrpc_created"] = new_id

try:
    models.execute_kw(db, uid, password, "no.such.model", "search_read", [[]])
    raise AssertionError("unknown model did not fault")
except xmlrpc.client.Fault as fault:
    seen["xmlrpc_unknown_model_fault"] = {"code": fault.faultCode, "string": fault.faultString.splitlines()[-1]}

try:
    models.execute_kw(db, uid, "wrong", "res.partner", "search_count", [[]])
    raise AssertionError("bad password did not fault")
except xmlrpc.client.Fault as fault:
    seen["xmlrpc_bad_password_fault"] = fault.faultCode


# --- JSON-RPC, plain HTTP -----------------------------------------------------------------------------------------
def jsonrpc(service, method, *args):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"service": service, "method": method, "args": args}})
    req = urllib.request.Request(url + "/jsonrpc", data=body.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


assert jsonrpc("common", "version")["result"]["server_version_info"][0] == major
assert jsonrpc("common", "authenticate", db, username, password, {})["result"] == uid
assert jsonrpc("common", "authenticate", db, username, "nope", {})["result"] is False
res = jsonrpc("object", "execute_kw", db, uid, api_key, "res.partner", "search_read", [[["id", "=", new_id]]], {"fields": ["name"]})
assert res["result"] == [{"id": new_id, "name": "Newer partner"}], res
err = jsonrpc("object", "execute_kw", db, uid, api_key, "no.such.model", "search_count", [[]])
assert "error" in err and err["error"]["message"] == "Odoo Server Error", err
seen["jsonrpc_unknown_model_error"] = err["error"]["data"]["name"]

# --- JSON-2 (Odoo 19+), as in the "External JSON-2 API" docs -------------------------------------------------------
if major >= 19:
    def json2(model, method, payload, key=api_key):
        req = urllib.request.Request(
            "{}/json/2/{}/{}".format(url, model, method),
            data=json.dumps(payload).encode(),
            headers={"Authorization": "bearer {}".format(key), "X-Odoo-Database": db, "Content-Type": "application/json", "User-Agent": "mysoftware " + sys.version},
            method="POST",
        )
        with urllib.request.urlopen(req) as resp:
            return resp.status, json.loads(resp.read())

    status, data = json2("res.partner", "search_read", {"context": {"lang": "en_US"}, "domain": [["name", "ilike", "%partner%"]], "fields": ["name"]})
    assert status == 200 and any(p["id"] == new_id for p in data), data
    status, ids = json2("res.partner", "create", {"vals_list": [{"name": "JSON-2 partner"}]})
    assert status == 200 and isinstance(ids, list) and len(ids) == 1, ids
    try:
        json2("res.partner", "search_read", {"domain": []}, key="0" * 40)
        raise AssertionError("bad key accepted")
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
        assert e.code == 401 and body["message"] == "Invalid apikey", (e.code, body)
        seen["json2_bad_key"] = {"status": e.code, "name": body["name"]}
    try:
        json2("no.such.model", "search_read", {"domain": []})
        raise AssertionError("unknown model accepted")
    except urllib.error.HTTPError as e:
        seen["json2_unknown_model_status"] = e.code

print(json.dumps(seen))
