"""What strangers can cost the event source (issue 26, finding 8 and part of 9): requests are refused on
their head before a body byte is read, the bodies in flight share one byte budget, malformed lengths and
deeply nested JSON get a 400 (never a traceback), and the org of a delivery comes from configuration."""
import asyncio
import json
import os
import runpy

import pytest

from tests.eda.test_webhook_events_unit import NOW, SECRET, delivery, refusal, signed, verifier

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = runpy.run_path(os.path.join(REPO, "extensions", "eda", "plugins", "event_source", "webhook_events.py"))
WELL_FORMED_SIGNATURE = "sha256=" + "0" * 64


async def started(**options):
    args = {"port": 0, "secret": SECRET, "read_timeout": 30}
    args.update(options)
    queue = asyncio.Queue()
    listener = SOURCE["Listener"](queue, SOURCE["parse_options"](args), clock=lambda: NOW)
    server = await listener.start()
    return listener, queue, server, server.sockets[0].getsockname()[1]


async def stopped(server):
    server.close()
    await server.wait_closed()


def wire(line):
    """A header line as a client sends it: one byte per character where it can (HTTP heads are Latin-1)."""
    try:
        return line.encode("latin-1")
    except UnicodeEncodeError:
        return line.encode("utf-8")


async def send(port, head_lines, body=b"", path="/orgs/acme", wait=5):
    """The status line and body of the answer to one request (None when the listener gives none in `wait` s)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(("POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" % path).encode()
                 + b"".join(wire(line) + b"\r\n" for line in head_lines) + b"\r\n" + body)
    await writer.drain()
    try:
        answer = await asyncio.wait_for(reader.read(), wait)
    except asyncio.TimeoutError:
        answer = b""
    writer.close()
    if not answer:
        return None, None
    head, _, text = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), json.loads(text) if text else None


def signed_lines(raw, secret=SECRET):
    return ["Content-Length: %d" % len(raw)] + ["%s: %s" % kv for kv in signed(raw, secret).items()]


# -- refused on the head, before the body ----------------------------------------------------

@pytest.mark.parametrize("signature, words", [
    (None, "no X-Genesys-Signature header"),
    ("sha256=abc", "not sha256=<64 hex digits>"),
    ("sha1=" + "0" * 40, "not sha256=<64 hex digits>"),
])
def test_a_request_without_a_well_formed_signature_is_401_before_its_body_is_read(signature, words):
    """Today a 1 MiB body is read (and held) before the missing header is noticed: no answer until it arrives."""
    async def scenario():
        listener, _queue, server, port = await started()
        lines = ["Content-Length: 1048576", "Content-Type: application/json"]
        lines += ["X-Genesys-Signature: %s" % signature] if signature else []
        answer = await send(port, lines, body=b"{", wait=5)  # 1 byte of the 1 MiB declared
        await stopped(server)
        return answer, listener.budget.reserved

    (status, body), reserved = asyncio.run(scenario())
    assert status == "HTTP/1.1 401 Unauthorized" and words in body["error"]
    assert reserved == 0


@pytest.mark.parametrize("length, status", [
    ("\u00b2", 400), ("\u0663", 400), ("+5", 400), ("-1", 400), ("0x10", 400), ("5 5", 400), ("1e3", 400),
    ("", 400), ("9" * 5000, 413), ("0" * 100 + "1048577", 413), ("1048577", 413)])
def test_malformed_and_huge_content_lengths_are_answered_never_a_traceback(length, status):
    async def scenario():
        _listener, _queue, server, port = await started()
        answer = await send(port, ["Content-Length: " + length, "X-Genesys-Signature: " + WELL_FORMED_SIGNATURE])
        await stopped(server)
        return answer

    line, body = asyncio.run(scenario())
    assert line is not None and line.startswith("HTTP/1.1 %d " % status), (length, line)
    assert "Content-Length" in body["error"] and len(body["error"]) < 140


def test_a_superscript_length_is_refused_by_the_header_parser_too():
    with pytest.raises(SOURCE["BadRequest"]) as caught:
        SOURCE["content_length"]("\u00b2", 1000)
    assert caught.value.status == 400 and "is not a number of bytes" in caught.value.reason


# -- one byte budget for every body in flight ----------------------------------------------------

def test_bodies_in_flight_share_one_budget_and_the_rest_are_told_to_retry():
    """40 clients each declare a full-size body and send half of it: only the budget's worth is read."""
    async def scenario():
        listener, queue, server, port = await started(max_body_bytes=65536, max_pending_bytes=4 * 65536,
                                                      max_connections=100)
        slow = []
        for _ in range(40):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"POST /orgs/acme HTTP/1.1\r\nContent-Length: 65536\r\nX-Genesys-Signature: "
                         + WELL_FORMED_SIGNATURE.encode() + b"\r\n\r\n" + b" " * 32768)
            await writer.drain()
            slow.append((reader, writer))
        answers = await asyncio.gather(*(asyncio.wait_for(reader.read(), 2) for reader, _ in slow[4:]))
        held = listener.budget.reserved
        for _, writer in slow:
            writer.close()
        await asyncio.sleep(0.2)
        raw = delivery("after-the-storm")
        after = await send(port, signed_lines(raw), raw)
        await stopped(server)
        return answers, held, after, listener.budget.reserved, queue.qsize()

    answers, held, after, reserved_at_end, events = asyncio.run(scenario())
    assert held == 4 * 65536
    assert all(a.startswith(b"HTTP/1.1 503 ") and b"Retry-After: 1" in a and b"max_pending_bytes" in a
               for a in answers)
    assert after[0] == "HTTP/1.1 202 Accepted" and reserved_at_end == 0 and events == 1


def test_connections_over_max_connections_are_503():
    async def scenario():
        _listener, _queue, server, port = await started(max_connections=3)
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
        await asyncio.sleep(0.1)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)  # answered before it sends anything
        answer = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        for _, writer in idle:
            writer.close()
        await stopped(server)
        return answer

    answer = asyncio.run(scenario())
    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable") and b"max_connections (3)" in answer


@pytest.mark.parametrize("args, words", [
    ({"max_body_bytes": 2048, "max_pending_bytes": 1024}, "'max_pending_bytes' (1024) must be at least max_body_bytes"),
    ({"max_connections": 0}, "'max_connections' must be at least 1"),
])
def test_budget_options_are_checked(args, words):
    with pytest.raises(ValueError) as caught:
        SOURCE["parse_options"](dict({"port": 1, "secret": "s"}, **args))
    assert words in str(caught.value)


# -- JSON nesting ----------------------------------------------------------------------------------

@pytest.mark.parametrize("depth, accepted", [(30, True), (31, True), (32, False), (200, False), (100000, False)])
def test_deliveries_nested_deeper_than_32_levels_are_400_not_a_recursion_error(depth, accepted):
    """The delivery object is level 1, its `data` level 2, so `depth` arrays inside `data` nest depth + 2."""
    raw = delivery("deep-%d" % depth).replace(b'"data": {"schemaName": "acc"}',
                                              b'"data": ' + b"[" * depth + b"]" * depth)
    check = verifier().check
    if accepted:
        assert check(raw, signed(raw))[1] is True
    else:
        status, reason = refusal(check, raw, signed(raw))
        assert status == 400 and "deeper than 32 levels" in reason


def test_a_deep_body_over_the_socket_is_answered_400():
    async def scenario():
        _listener, _queue, server, port = await started()
        raw = b'{"id": "x", "data": ' + b"[" * 200000 + b"]" * 200000 + b"}"
        answer = await send(port, signed_lines(raw), raw)
        await stopped(server)
        return answer

    status, body = asyncio.run(scenario())
    assert status == "HTTP/1.1 400 Bad Request" and "deeper than 32 levels" in body["error"]


# -- the org comes from configuration ------------------------------------------------------------

def test_one_listener_per_org_names_its_org_whatever_the_path():
    async def scenario():
        _listener, queue, server, port = await started(org="acme")
        raw = delivery("org-1")
        answer = await send(port, signed_lines(raw), raw, path="/orgs/globex/{{lookup('pipe','id')}}")
        await stopped(server)
        return answer, queue.get_nowait()

    (status, _), event = asyncio.run(scenario())
    assert status == "HTTP/1.1 202 Accepted" and event["meta"]["org"] == "acme"


def test_one_signed_path_per_org_accepts_only_that_orgs_signature():
    secrets = {"acme": "acme-secret-1", "globex": "globex-secret-2"}

    async def scenario():
        args = {"port": 0, "orgs": secrets}
        queue = asyncio.Queue()
        listener = SOURCE["Listener"](queue, SOURCE["parse_options"](args), clock=lambda: NOW)
        server = await listener.start()
        port = server.sockets[0].getsockname()[1]
        raw = delivery("paths-1")
        answers = [
            await send(port, signed_lines(raw, secrets["acme"]), raw, path="/orgs/acme"),
            await send(port, signed_lines(raw, secrets["acme"]), raw, path="/orgs/globex"),  # moved to another org
            await send(port, signed_lines(raw, secrets["globex"]), raw, path="/orgs/globex?x=1"),
            await send(port, signed_lines(raw, secrets["acme"]), raw, path="/orgs/{{7*7}}"),
            await send(port, signed_lines(raw, secrets["acme"]), raw, path="/orgs/acme/../globex"),
            await send(port, ["Content-Length: 2"], b"{}", path="/orgs/acme"),  # unsigned
        ]
        await stopped(server)
        return [a[0].split(" ")[1] for a in answers], [queue.get_nowait() for _ in range(queue.qsize())]

    statuses, events = asyncio.run(scenario())
    assert statuses == ["202", "401", "202", "404", "404", "401"]
    assert [e["meta"]["org"] for e in events] == ["acme", "globex"]  # one id, two orgs: two events


@pytest.mark.parametrize("args, words", [
    ({"org": "acme:globex", "secret": "s"}, "option 'org' must name one inventory host"),
    ({"org": "{{ x }}", "secret": "s"}, "no host pattern"),
    ({"orgs": {"acme": "same", "globex": "same"}}, "acme and globex have the same secret"),
    ({"orgs": {"all*": "s"}}, "option 'orgs' must name one inventory host"),
    ({"orgs": {"acme": ""}}, "the secret of acme must be a non-empty string"),
    ({"orgs": ["acme"]}, "must map each org"),
    ({"orgs": {"acme": "s"}, "secret": "t"}, "either 'orgs'"),
    ({"orgs": {"acme": "s"}, "org": "acme"}, "either 'orgs'"),
])
def test_org_options_are_checked(args, words):
    with pytest.raises(ValueError) as caught:
        SOURCE["parse_options"](dict({"port": 1}, **args))
    assert words in str(caught.value) and "same\"" not in str(caught.value)
