"""Records files that stay data (issue 26 finding 9, issue 27 item 7): CSV text that a spreadsheet would
take for a formula is written with one ' in front and read back exactly; a NUL is refused naming the
record; JSON nested too deeply is refused naming the file and line; every bad CSV row in one error."""
import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import export as records_export
from ansible_collections.genesys.cloud.plugins.module_utils import records_read as rd
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_files as ef

FIELDS = {"code": {"type": "string"}, "note": {"type": "string"}, "qty": {"type": "number"},
          "vip": {"type": "boolean"}}
TYPES = dict((name, field["type"]) for name, field in FIELDS.items())
RISKY = ["=HYPERLINK(\"http://x.example\",\"click\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'", "''", "'=1", "'x",
         "=", "-", "a=b", " =1", "plain", "x'", "multi\nline", "\"quoted\"", "comma, here", "é=😀", "'\t", "''''="]


def read(tmp_path, name, content, fields=FIELDS):
    path = tmp_path / name
    path.write_bytes(content)
    return [record for _where, record in rd.iter_source(str(path), fields)]


def refusal(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(rd.SourceError) as caught:
        list(rd.iter_source(str(path), FIELDS))
    return caught.value


def test_text_that_starts_like_a_formula_is_written_with_a_quote_and_read_back_exactly(tmp_path):
    records = [{"code": "c%02d" % index, "note": value, "qty": -index - 0.5, "vip": index % 2 == 0}
               for index, value in enumerate(RISKY)]
    text = records_export.render_records(records, ".csv", "code")
    for line in text.splitlines()[1:]:
        if line:  # no cell a spreadsheet evaluates: each starts with a letter, a digit, a quote or "'"
            assert all(not cell.startswith(("=", "+", "@", "\t", "\r")) for cell in line.split(","))
    assert "'=HYPERLINK" in text and ",-0.5," in text  # numbers stay numbers
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read(tmp_path, "t.csv", text.encode("utf-8")) == records
    assert records_export.records_meaning(records_export.read_records(ef, str(path), TYPES), TYPES, "code") == records_export.records_meaning(
        records, TYPES, "code")


def test_the_reader_removes_one_quote_only_before_the_seven_characters(tmp_path):
    rows = read(tmp_path, "t.csv", b"code,note,qty\n'=1,'=2,3\n'x,'',-4\n''',' x,5\n")
    assert rows == [{"code": "=1", "note": "=2", "qty": 3}, {"code": "'x", "note": "'", "qty": -4},
                    {"code": "''", "note": "' x", "qty": 5}]
    assert rd.csv_text_cell("=1") == "'=1" and rd.csv_text_cell("x") == "x" and rd.csv_text_cell("") == ""


def test_a_nul_in_a_csv_export_is_refused_naming_the_record_and_the_way_out():
    with pytest.raises(ef.ExportError) as refused:
        records_export.render_records([{"code": "c1", "note": "a\x00b"}], ".csv", "code")
    assert str(refused.value) == ("record c1: field note holds a NUL character, which a CSV file cannot carry; keep "
                                  "these records in a .jsonl, .json or .yml file (rename the .csv file), which "
                                  "escape it")
    assert '"a\\u0000b"' in records_export.render_records([{"code": "c1", "note": "a\x00b"}], ".jsonl", "code")


def test_a_nul_in_a_csv_file_names_the_file_and_line(tmp_path):
    error = refusal(tmp_path, "t.csv", b"code,note\nc1,ok\nc2,a\x00b\n")
    assert str(error) == "t.csv line 3: a NUL byte; is this a text file?"


def test_every_bad_csv_row_is_reported_in_one_error(tmp_path):
    content = (b"code,qty\nc1,1\nc2,2,x\nc3,inf\nc4\nc5,\xff\nc6,\x00\nc7,\"7\"x\nc8,8\n")
    error = refusal(tmp_path, "t.csv", content)
    assert error.problems == [
        "t.csv line 3: 3 cells where the header (line 1) has 2",
        "t.csv line 4: column qty: the number inf is not finite (the service refuses infinity and NaN; numbers "
        "stop near 1.8e308)",
        "t.csv line 5: 1 cell where the header (line 1) has 2",
        "t.csv line 6: bytes that are not UTF-8 text (b'\\xff'); save the file as UTF-8",
        "t.csv line 7: a NUL byte; is this a text file?",
        "t.csv line 8: not valid CSV: ',' expected after '\"' (a quote that opens a cell must close it, right "
        "before a comma or the end of the line; a quote inside a quoted cell is written twice)"]
    assert str(error) == "; ".join(error.problems)


def test_many_bad_rows_are_capped_with_how_many_more(tmp_path):
    content = b"code,qty\n" + b"".join(b"c%d,1,extra\n" % index for index in range(50))
    error = refusal(tmp_path, "t.csv", content)
    assert len(error.problems) == rd.MAX_ROW_PROBLEMS and error.total == 50
    assert str(error).endswith("; and 30 more problems (50 in all)")
    assert str(error).startswith("t.csv line 2: 3 cells where the header (line 1) has 2; t.csv line 3:")


@pytest.mark.parametrize("name, content, message", [
    ("deep.json", b"[\n" + b"[" * 100000 + b"]" * 100000 + b"]", "deep.json line 2: nested more than 64 levels deep"),
    ("deep.json", b'[{"code": "a"},\n{"code": ' + b"[" * 65 + b"]" * 65 + b"}]",
     "deep.json line 2: nested more than 64 levels deep"),
    ("deep.jsonl", b'{"code": "a"}\n{"code": ' + b"[" * 100000 + b"]" * 100000 + b"}\n",
     "deep.jsonl line 2: nested more than 64 levels deep"),
    ("deep.jsonl", b'{"code": "a"}\n{"code": ' + b'{"a": ' * 70 + b"1" + b"}" * 70 + b"}\n",
     "deep.jsonl line 2: nested more than 64 levels deep"),
])
def test_json_nested_too_deeply_is_refused_naming_the_file_and_line(tmp_path, name, content, message):
    assert str(refusal(tmp_path, name, content)).startswith(message)


def test_brackets_inside_json_strings_are_no_nesting(tmp_path):
    note = "[" * 200 + "{" * 200
    line = ('{"code": "a", "note": "%s", "more": [[["x"]]]}\n' % note).encode("utf-8")
    assert read(tmp_path, "ok.jsonl", line) == [{"code": "a", "note": note, "more": [[["x"]]]}]
    assert read(tmp_path, "ok.json", b"[" + line + b"]") == [{"code": "a", "note": note, "more": [[["x"]]]}]


def test_an_org_directory_lists_every_bad_row_of_its_csv_file(tmp_path):
    from ansible_collections.genesys.cloud.plugins.module_utils.kinds.records import files
    from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od

    (tmp_path / "schemas").mkdir()
    (tmp_path / "records").mkdir()
    (tmp_path / "schemas" / "items.yml").write_text(
        "name: items\nfields:\n  - {name: code, type: string, unique: true, required: true}\n"
        "  - {name: qty, type: number}\n")
    (tmp_path / "records" / "items.csv").write_bytes(b"code,qty\nc1,1\nc2,2,x\nc3,nan\nc4\n")
    org = od.load_org(str(tmp_path))
    fields = files.schema_fields(org["schemas"][0].params["fields"])
    src = str(tmp_path / "records" / "items.csv")
    assert files.check_records(org["records"][0], fields) == [
        "%s: items.csv line 3: 3 cells where the header (line 1) has 2" % src,
        "%s: items.csv line 4: column qty: the number nan is not finite (the service refuses infinity and NaN; "
        "numbers stop near 1.8e308)" % src,
        "%s: items.csv line 5: 1 cell where the header (line 1) has 2" % src]
