"""Drive the emulator from tests: its control interface, and the API as another administrator."""
import requests

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ADMIN_ID = "test-admin"
ADMIN_SECRET = "test-admin-secret"


class EmulatorControl:
    """One emulator: ``/_emulator/*`` calls plus API calls made by a separate admin client.

    The admin client's requests carry its own client id in the request log, so a test can tell
    them apart from the ones the module under test made (see :meth:`module_requests`).
    """

    def __init__(self, url, client_id, client_secret):
        self.url = url
        self.client_id = client_id
        self.client_secret = client_secret
        self.http = requests.Session()
        self._admin_token = None

    # -- control interface --------------------------------------------------------------
    def _ctl(self, method, path, payload=None):
        resp = self.http.request(method, self.url + "/_emulator" + path, json=payload, timeout=30)
        resp.raise_for_status()
        return resp.json() if resp.content else None

    def reset(self):
        self._ctl("POST", "/reset", {})
        self._admin_token = None
        self._ctl("POST", "/clients", {"client_id": ADMIN_ID, "client_secret": ADMIN_SECRET})

    def settings(self, **changes):
        return self._ctl("POST", "/settings", changes) if changes else self._ctl("GET", "/settings")

    def add_client(self, client_id, client_secret, scopes=None):
        body = {"client_id": client_id, "client_secret": client_secret}
        if scopes is not None:
            body["scopes"] = scopes
        return self._ctl("POST", "/clients", body)

    def organization(self, **changes):
        """The org this emulator is (``{"id", "name"}``); ``name=``/``id=`` change it."""
        return self._ctl("POST" if changes else "GET", "/organization", changes or None)

    def expire_tokens(self):
        return self._ctl("POST", "/tokens/expire", {})

    def fault(self, **spec):
        return self._ctl("POST", "/faults", spec)

    def faults(self):
        return self._ctl("GET", "/faults")

    def hook(self, **spec):
        return self._ctl("POST", "/hooks", spec)

    def requests(self):
        return self._ctl("GET", "/requests")

    def clear_requests(self):
        return self._ctl("DELETE", "/requests")

    def deliveries(self):
        return self._ctl("GET", "/deliveries")

    def state(self):
        return self._ctl("GET", "/state")

    def load_state(self, document):
        return self._ctl("PUT", "/state", document)

    # -- what the module under test did --------------------------------------------------
    def module_requests(self, method=None, path_prefix="/api/v2"):
        found = []
        for entry in self.requests():
            if entry.get("client_id") not in (self.client_id, None) or not entry["path"].startswith(path_prefix):
                continue
            if method is not None and entry["method"] not in ((method,) if isinstance(method, str) else method):
                continue
            found.append(entry)
        return found

    def module_writes(self):
        """API writes that reached the emulator from anyone but the test admin."""
        return [entry for entry in self.module_requests(method=WRITE_METHODS)]

    def token_requests(self):
        return [entry for entry in self.requests()
                if entry["path"].startswith("/oauth/token") and entry.get("client_id") != ADMIN_ID]

    @property
    def env(self):
        """Environment variables that point the collection's modules at this emulator."""
        return {
            "GENESYSCLOUD_API_URL": self.url,
            "GENESYSCLOUD_OAUTHCLIENT_ID": self.client_id,
            "GENESYSCLOUD_OAUTHCLIENT_SECRET": self.client_secret,
        }

    @property
    def connection(self):
        """Module options that point at this emulator (for module_defaults or task args)."""
        return {"api_url": self.url, "client_id": self.client_id, "client_secret": self.client_secret}

    # -- the API, as another administrator ------------------------------------------------
    def api(self, method, path, expect=None, **kwargs):
        if self._admin_token is None:
            resp = self.http.post(self.url + "/oauth/token", data={"grant_type": "client_credentials"},
                                  auth=(ADMIN_ID, ADMIN_SECRET), timeout=30)
            resp.raise_for_status()
            self._admin_token = resp.json()["access_token"]
        headers = dict(kwargs.pop("headers", {}) or {})
        headers["Authorization"] = "Bearer " + self._admin_token
        resp = self.http.request(method, self.url + path, headers=headers, timeout=30, **kwargs)
        if expect is not None:
            assert resp.status_code == expect, "%s %s -> %s %s" % (method, path, resp.status_code, resp.text)
        return resp

    def all_pages(self, path, page_size=100):
        entities, uri = [], "%s?pageSize=%d&pageNumber=1" % (path, page_size)
        while uri:
            body = self.api("GET", uri, expect=200).json()
            entities.extend(body["entities"])
            uri = body.get("nextUri")
        return entities

    def create_schema(self, name, fields, description=None):
        body = {"name": name, "fields": fields}
        if description is not None:
            body["description"] = description
        return self.api("POST", "/api/v2/data/flex/schemas", json=body, expect=201).json()

    def schemas(self):
        return self.all_pages("/api/v2/data/flex/schemas")

    def schema(self, name):
        for schema in self.schemas():
            if schema["name"].lower() == name.lower():
                return schema
        return None

    def update_schema(self, schema, **changes):
        body = {"name": schema["name"], "description": schema.get("description", ""), "fields": schema["fields"]}
        body.update(changes)
        return self.api("PUT", "/api/v2/data/flex/schemas/" + schema["id"], json=body,
                        headers={"If-Match": '"%s"' % schema["version"]}, expect=200).json()

    def upsert_records(self, schema_name, records):
        return self.api("POST", "/api/v2/customobjects/%s/records" % schema_name,
                        json={"records": records}, expect=200).json()

    def records(self, schema_name):
        return self.all_pages("/api/v2/customobjects/%s/records" % schema_name, page_size=500)

    def webhooks(self):
        return self.all_pages("/api/v2/platform/webhooks")
