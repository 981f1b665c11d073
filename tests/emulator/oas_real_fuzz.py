"""Real resources for the schemathesis run over the REAL_API.md operations (see test_openapi.py).

`RealTargets(api, emulator_url)` seeds a data table with a row, a published workflow, a workitem
schema and a trigger; `aim(case)` points a valid-shaped case's path parameters at them (reads) or
at fresh disposable copies (writes and deletes, so the seeds survive the run).
"""

import requests

TABLES = "/api/v2/flows/datatables"
SCHEMAS = "/api/v2/taskmanagement/workitems/schemas"
TRIGGERS = "/api/v2/processautomation/triggers"
WORKFLOW_ID = "5c4e7e3a-1d2b-4c5d-8e9f-0a1b2c3d4e5f"  # the one docs/openapi.yaml's trigger examples name
TABLE_SCHEMA = {"required": ["key"], "additionalProperties": False,
                "properties": {"key": {"type": "string"}, "queue": {"type": "string"}, "open": {"type": "boolean"}}}
WORKITEM_SCHEMA = {"properties": {"policy_identifier": {"allOf": [{"$ref": "#/definitions/identifier"}]}}}


class RealTargets:
    def __init__(self, api, url):
        self.api = api
        self.serial = 0
        response = requests.post(url + "/_emulator/workflows", json={"name": "Escalate", "id": WORKFLOW_ID},
                                 timeout=10)
        assert response.status_code == 200, response.text
        self.table_id = self.new_table()
        self.job_id = self._ok("POST", TABLES + "/%s/import/csv/jobs" % self.table_id, {"importMode": "Append"})["id"]
        self.schema_id = self.new_schema()
        self.trigger_id = self.new_trigger()

    def _ok(self, method, path, body):
        response = self.api(method, path, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def _name(self, prefix):
        self.serial += 1
        return "%s%d" % (prefix, self.serial)

    def new_table(self):
        table = self._ok("POST", TABLES, {"name": self._name("fuzzTable"), "schema": TABLE_SCHEMA})
        self._ok("POST", TABLES + "/%s/rows" % table["id"], {"key": "S001"})
        return table["id"]

    def new_schema(self):
        return self._ok("POST", SCHEMAS, {"name": self._name("fuzzSchema"), "jsonSchema": WORKITEM_SCHEMA})["id"]

    def new_trigger(self):
        return self._ok("POST", TRIGGERS, {"name": self._name("fuzzTrigger"), "enabled": False,
                                           "topicName": "v2.taskmanagement.workitems.{id}",
                                           "target": {"type": "Workflow", "id": WORKFLOW_ID}})["id"]

    def aim(self, case):
        params, method = case.path_parameters, case.operation.method.upper()
        reading = method == "GET" or case.operation.path.endswith("/test")
        if "tableId" in params:
            params["tableId"] = self.table_id if reading or "rowKey" not in params and method == "POST" \
                else self.new_table()
        if "rowKey" in params:
            params["rowKey"] = "S001"
        if "jobId" in params:
            params["jobId"] = self.job_id
        if "workitemSchemaId" in params:
            params["workitemSchemaId"] = self.schema_id if reading else self.new_schema()
        if "versionNumber" in params:
            params["versionNumber"] = 1
        if "triggerId" in params:
            params["triggerId"] = self.trigger_id if reading else self.new_trigger()
        if method == "PUT" and isinstance(case.body, dict) and ("workitemSchemaId" in params or "triggerId" in params):
            case.body["version"] = 1
        if method == "PUT" and isinstance(case.body, dict) and "rowKey" in params:
            case.body["key"] = "S001"
