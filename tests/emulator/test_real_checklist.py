"""REAL_API.md's checklist: each rule it states names the test that asserts it, and each error
code the real endpoints answer (the contract's and the emulator's own) is asserted somewhere.

RULES maps a section of shared/contract/REAL_API.md to (rule, "module::test") pairs; the tests
below check that every section of the contract is listed, that every named test exists, and
that every code in CODES appears as a string literal in the real endpoints' test modules.
"""

import os
import re

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = [os.path.join(base, "shared", "contract", "REAL_API.md")
            for base in (os.path.join(HERE, "..", "..", ".."), os.path.join(HERE, "..", "..", "..", ".."))]

TABLES, ROWS, WORK, TRIG = "test_datatables", "test_datatable_rows", "test_workitem_schemas", "test_triggers"
RULES = {
    "Scopes": [
        ("architect / architect:readonly; write implies read", TABLES + "::test_scopes_architect_and_architect_readonly"),
        ("workitems / workitems:readonly", WORK + "::test_scopes_workitems_and_workitems_readonly"),
        ("process-automation / :readonly", TRIG + "::test_scopes_process_automation_and_readonly"),
        ("each operation documents its scopes", "test_openapi_real::test_real_operations_need_the_real_scopes"),
    ],
    "## 8.": [
        ("table shape, server-filled schema, 200 on POST",
         TABLES + "::test_create_answers_200_with_the_expanded_table_and_server_filled_schema"),
        ("name unique case-insensitively, 1-256; description <= 512; 409 duplicate.name",
         TABLES + "::test_names_are_unique_case_insensitively_and_limited_in_length"),
        ("property names, the four types, $id, key, required, additionalProperties: 400 bad.request",
         TABLES + "::test_invalid_schemas_are_400_bad_request_naming_the_problem"),
        ("key at most 256 characters", TABLES + "::test_key_longer_than_256_is_refused"),
        ("at most 50 properties besides key, 200 tables (settable)",
         TABLES + "::test_property_and_table_limits_are_the_documented_ones_and_settable"),
        ("list: pageSize <= 100, name filter case-insensitive with *",
         TABLES + "::test_list_filters_by_name_case_insensitively_with_wildcards_and_pages"),
        ("without expand=schema only id, name, division, selfUri",
         TABLES + "::test_list_without_expand_has_only_id_name_division_selfuri"),
        ("404 flows.datatables.table.not.found", TABLES + "::test_unknown_table_is_404_with_its_code"),
        ("PUT may add properties and change name, description, title, displayOrder, default",
         TABLES + "::test_put_may_add_properties_and_change_labels_defaults_and_order"),
        ("PUT refuses removals, type, name, minLength, maxLength changes, rows or not",
         TABLES + "::test_put_refuses_anything_but_additions_with_schema_exception"),
        ("PUT refuses required / additionalProperties changes",
         TABLES + "::test_put_changing_required_or_additional_properties_is_a_schema_exception"),
        ("no version, no ETag: the last writer wins", TABLES + "::test_there_is_no_version_and_the_last_writer_wins"),
        ("... also against another administrator's edit",
         "test_real_hooks::test_a_table_edited_between_read_and_write_is_overwritten_without_a_conflict"),
        ("DELETE 204; in use: 409 unless force=true", TABLES + "::test_delete_is_204_and_a_table_in_use_needs_force"),
    ],
    "### Rows": [
        ("showbrief defaults to true; order by key; sortOrder",
         ROWS + "::test_reads_are_brief_unless_showbrief_is_false"),
        ("rows page by at most 100", ROWS + "::test_rows_page_by_at_most_100"),
        ("POST 200 with the stored row, defaults filled",
         ROWS + "::test_post_fills_every_left_out_property_and_returns_the_stored_row"),
        ("a taken key: 409", ROWS + "::test_a_taken_key_is_409"),
        ("PUT replaces, fills what it leaves out", ROWS + "::test_put_replaces_the_row_and_fills_what_it_leaves_out"),
        ("PUT body key equals the path's", ROWS + "::test_put_needs_the_paths_key_in_the_body_and_a_stored_row"),
        ("a property added fills every stored row",
         TABLES + "::test_put_may_add_properties_and_change_labels_defaults_and_order"),
        ("DELETE 204; unknown key 404", ROWS + "::test_delete_is_204_and_an_unknown_key_404"),
        ("wrong type, unknown property, over maxLength: 400 syntax error naming it",
         ROWS + "::test_bad_rows_are_400_syntax_errors_naming_the_property"),
        ("at most 5,000 rows (settable): 400 too.many.rows", ROWS + "::test_at_most_max_rows_rows"),
    ],
    "### Bulk": [
        ("POST job: WaitingForUpload, absolute uploadURI, uploadHeaders (random name)",
         ROWS + "::test_a_job_waits_for_an_upload_to_a_url_with_random_headers"),
        ("upload with exactly uploadHeaders; Authorization refused with 400",
         ROWS + "::test_an_upload_needs_exactly_its_headers_and_no_authorization"),
        ("Processing then Succeeded, counts; empty cell means default",
         ROWS + "::test_append_writes_rows_with_defaults_for_empty_cells"),
        ("ReplaceAll deletes every row first", ROWS + "::test_replace_all_deletes_every_row_first"),
        ("rows fail one by one, good rows stay, only counts, Failed with errorInformation",
         ROWS + "::test_rows_fail_one_by_one_and_the_good_rows_stay"),
        ("a bad header row fails the whole job",
         ROWS + "::test_a_bad_header_row_fails_the_whole_job_and_writes_nothing"),
    ],
    "## 9.": [
        ("POST 200 with version 1; shape", WORK + "::test_create_answers_200_with_version_1"),
        ("core types and their constraints", WORK + "::test_every_core_type_with_its_constraints"),
        ("key suffix differs from $ref: 400", WORK + "::test_invalid_properties_are_400_naming_them"),
        ("name 1-50 characters", WORK + "::test_names_are_1_to_50_characters"),
        ("name unique case-insensitively", WORK + "::test_names_are_unique_case_insensitively"),
        ("100 schemas, 50 properties, settable, GET limits", WORK + "::test_limits_are_documented_settable_and_told"),
        ("PUT with the version read stores version + 1; versions listed",
         WORK + "::test_put_with_the_version_read_stores_the_next_version_and_keeps_every_version"),
        ("stale version: 409 version.mismatch or 400 'does not match the current version'",
         WORK + "::test_a_stale_version_is_refused_with_the_chosen_answer"),
        ("the stale answer is decided per schema name",
         WORK + "::test_the_stale_answer_defaults_by_name_and_both_answers_occur"),
        ("a concurrent edit between read and write: either answer, then re-read and retry",
         "test_real_hooks::test_a_schema_edited_between_read_and_write_is_a_stale_version_then_a_retry_succeeds"),
        ("soft delete: GET 200 deleted true; second DELETE 404; listed; name freed",
         WORK + "::test_delete_is_soft"),
        ("core type change / removal allowed", WORK + "::test_changing_a_core_type_or_removing_a_property_is_allowed"),
    ],
    "## 10.": [
        ("cursor paging (pageSize <= 200 as a string), topicName and enabled filters",
         TRIG + "::test_lists_page_by_cursor_and_filter"),
        ("topics: plain strings, cursor paging; another topic: 400",
         TRIG + "::test_topics_are_plain_strings_paged_by_cursor_and_settable"),
        ("required members, Workflow target, operators, bounds, exclusivity, description",
         TRIG + "::test_invalid_triggers_are_400_naming_the_problem"),
        ("target must be a published workflow", TRIG + "::test_the_workflow_must_be_published"),
        ("GET /api/v2/flows?type=workflow with a name filter", TRIG + "::test_workflows_are_found_by_type_and_name"),
        ("bounds allowed; bare jsonPath", TRIG + "::test_bounds_that_are_allowed"),
        ("PUT with the version read", TRIG + "::test_put_with_the_version_read_stores_the_next_version"),
        ("stale version as in §9", TRIG + "::test_a_stale_version_is_refused_with_the_chosen_answer"),
        ("topicName cannot change", TRIG + "::test_the_topic_never_changes"),
        ("DELETE 204", TRIG + "::test_delete_is_204_and_then_404"),
        ("POST .../test evaluates matchCriteria", TRIG + "::test_the_test_endpoint_evaluates_match_criteria"),
    ],
    "## 11.": [
        ("503 flows.datatables.server.too.busy", TABLES + "::test_server_too_busy_can_be_injected_and_is_not_applied"),
        ("read-after-create 404s (tables)", TABLES + "::test_a_new_table_may_404_on_its_first_reads_by_id_but_lists_show_it"),
        ("read-after-create 404s (schemas)", WORK + "::test_a_new_schema_may_404_on_its_first_reads_by_id"),
        ("read-after-create 404s (triggers)", TRIG + "::test_a_new_trigger_may_404_on_its_first_reads_by_id"),
        ("GET /api/v2/organizations/me", "test_organization::test_any_valid_token_reads_the_org_and_the_control_api_renames_it"),
    ],
}
CODES = ("flows.datatables.table.not.found", "duplicate.name", "flows.datatables.schema.exception",
         "flows.datatables.table.in.use", "flows.datatables.row.exists", "flows.datatables.syntax.error",
         "flows.datatables.too.many.rows", "version.mismatch", "flows.datatables.server.too.busy",
         # the emulator's own (docs/emulator.md)
         "flows.datatables.too.many.properties", "flows.datatables.too.many.tables", "flows.datatables.row.not.found",
         "flows.datatables.import.invalid.header", "flows.datatables.import.rows.failed", "forbidden", "conflict",
         "bad.request", "not.found", "missing.scope", "invalid.page.size")


def _source(module):
    with open(os.path.join(HERE, module + ".py"), encoding="utf-8") as handle:
        return handle.read()


def test_every_section_of_the_contract_is_listed():
    path = next((p for p in CONTRACT if os.path.exists(p)), None)
    if path is None:
        pytest.skip("shared/contract/REAL_API.md is not beside the repository")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    sections = re.findall(r"^(## \d+\.|### \w+)", text, re.MULTILINE)
    assert sections == ["## 8.", "### Rows", "### Bulk", "## 9.", "## 10.", "## 11."], sections
    assert set(sections) | {"Scopes"} == set(RULES)


def test_every_rule_names_a_test_that_exists():
    missing = [(rule, ref) for rules in RULES.values() for rule, ref in rules
               if not re.search(r"^def %s\(" % re.escape(ref.split("::")[1]), _source(ref.split("::")[0]),
                                re.MULTILINE)]
    assert not missing, missing


def test_every_code_is_asserted():
    sources = "".join(_source(m) for m in (TABLES, ROWS, WORK, TRIG))
    missing = [code for code in CODES if '"%s"' % code not in sources]
    assert not missing, missing
