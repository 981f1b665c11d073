"""Unit tests of the event source's checks (signature, timestamp window, replay memory, options) and of
the not_from_clients filter, loaded from their files the way ansible-rulebook loads them (runpy)."""
import asyncio
import hashlib
import hmac
import json
import os
import runpy

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = runpy.run_path(os.path.join(REPO, "extensions", "eda", "plugins", "event_source", "webhook_events.py"))
FILTER = runpy.run_path(os.path.join(REPO, "extensions", "eda", "plugins", "event_filter", "not_from_clients.py"))

SECRET = "unit-secret-5f1a"
NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z


def stamp(offset=0.0):
    from datetime import datetime, timezone
    return datetime.fromtimestamp(NOW + offset, timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def delivery(event_id="e-1", offset=0.0, **extra):
    body = {"id": event_id, "eventType": "data.flex.schema.updated", "timestamp": stamp(offset),
            "webhookId": "w-1", "actor": {"type": "client", "id": "someone"}, "data": {"schemaName": "acc"}}
    body.update(extra)
    return json.dumps(body).encode("utf-8")


def signed(raw, secret=SECRET):
    return {"x-genesys-signature": "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest(),
            "content-type": "application/json"}


def verifier(**options):
    args = {"port": 1, "secret": SECRET}
    args.update(options)
    return SOURCE["Verifier"](SOURCE["parse_options"](args), clock=lambda: NOW)


def refusal(check, raw, headers):
    with pytest.raises(SOURCE["Refused"]) as caught:
        check(raw, headers)
    return caught.value.status, caught.value.reason


# -- signature ----------------------------------------------------------------------------

def test_signature_is_hmac_sha256_of_the_raw_body_as_the_service_computes_it():
    raw = b'{"id": "x"}'
    expected = "sha256=" + hmac.new(b"k", raw, hashlib.sha256).hexdigest()
    assert SOURCE["expected_signature"]("k", raw) == expected
    assert SOURCE["signature_matches"]("k", raw, expected)
    assert SOURCE["signature_matches"]("k", raw, "  " + expected + " ")
    assert not SOURCE["signature_matches"]("k", raw + b" ", expected)
    assert not SOURCE["signature_matches"]("other", raw, expected)
    assert not SOURCE["signature_matches"]("k", raw, expected.replace("sha256=", "sha1="))
    assert not SOURCE["signature_matches"]("k", raw, "")
    assert not SOURCE["signature_matches"]("k", raw, None)
    assert not SOURCE["signature_matches"]("k", raw, "sha256=\u00e9")


def test_a_signed_delivery_is_accepted_once_and_its_retry_is_a_duplicate():
    check = verifier().check
    raw = delivery()
    payload, is_new = check(raw, signed(raw))
    assert is_new and payload["id"] == "e-1" and payload["actor"] == {"type": "client", "id": "someone"}
    assert check(raw, signed(raw)) == (payload, False)


def test_forged_or_missing_signatures_are_401_and_never_echo_the_secret():
    check = verifier().check
    raw = delivery()
    status, reason = refusal(check, raw, signed(raw, secret="guess"))
    assert status == 401 and "does not match" in reason and SECRET not in reason
    status, reason = refusal(check, raw, {"content-type": "application/json"})
    assert status == 401 and "no X-Genesys-Signature" in reason
    tampered = raw.replace(b"acc", b"acd")
    assert refusal(check, tampered, signed(raw))[0] == 401
    long_header = {"x-genesys-signature": "sha256=" + "ab" * 500}
    status, reason = refusal(check, raw, long_header)
    assert status == 401 and len(reason) < 120


def test_signature_is_checked_before_the_body_is_parsed():
    status, _ = refusal(verifier().check, b"not json", {"x-genesys-signature": "sha256=00"})
    assert status == 401


def test_unsigned_mode_accepts_without_a_signature_but_a_secret_always_wins():
    raw = delivery()
    assert verifier(secret=None, allow_unsigned=True).check(raw, {})[1] is True
    assert refusal(verifier(allow_unsigned=True).check, raw, {})[0] == 401


# -- body and timestamp window --------------------------------------------------------------

@pytest.mark.parametrize("raw, words", [
    (b"not json", "not JSON"),
    (b"[1, 2]", "not an object"),
    (b'{"timestamp": "2027-01-15T08:00:00.000Z"}', "no string 'id'"),
    (b'{"id": "x"}', "'timestamp'"),
    (b'{"id": "x", "timestamp": "yesterday at noon"}', "not an RFC 3339"),
    (b'{"id": "x", "timestamp": "2027-01-15T08:00:00.000"}', "no time zone"),
    (b'\xff\xfe', "not JSON"),
])
def test_malformed_bodies_are_400(raw, words):
    status, reason = refusal(verifier().check, raw, signed(raw))
    assert status == 400 and words in reason


@pytest.mark.parametrize("offset, accepted", [
    (0, True), (-299.9, True), (299.9, True), (-300, True), (-300.5, False), (300.5, False),
    (-3600, False), (86400, False)])
def test_the_timestamp_window_is_tolerance_seconds_either_way(offset, accepted):
    raw = delivery(offset=offset)
    check = verifier(timestamp_tolerance=300).check
    if accepted:
        assert check(raw, signed(raw))[1] is True
    else:
        status, reason = refusal(check, raw, signed(raw))
        assert status == 422 and "timestamp_tolerance (300 s)" in reason


def test_parse_timestamp_reads_rfc3339_with_zones():
    assert SOURCE["parse_timestamp"]("2027-01-15T08:00:00.000Z") == NOW
    assert SOURCE["parse_timestamp"]("2027-01-15T09:00:00+01:00") == NOW
    assert SOURCE["within_window"](NOW - 10, NOW, 10) and not SOURCE["within_window"](NOW + 11, NOW, 10)


def test_oversized_bodies_are_413():
    raw = delivery(data={"blob": "x" * 2000})
    status, reason = refusal(verifier(max_body_bytes=1000).check, raw, signed(raw))
    assert status == 413 and "max_body_bytes (1000)" in reason


# -- replay memory ---------------------------------------------------------------------------

def test_the_same_id_from_another_webhook_is_another_event():
    check = verifier().check
    first, second = delivery(webhookId="w-1"), delivery(webhookId="w-2")
    assert check(first, signed(first))[1] and check(second, signed(second))[1]


def test_replay_memory_is_bounded_and_forgets_oldest_first():
    check = verifier(replay_memory=3).check
    bodies = [delivery("e-%d" % i) for i in range(5)]
    for raw in bodies:
        assert check(raw, signed(raw))[1] is True
    recent = check.__self__.recent
    assert len(recent) == 3 and recent.evicted_early == 2
    assert check(bodies[4], signed(bodies[4]))[1] is False
    assert check(bodies[0], signed(bodies[0]))[1] is True  # forgotten: the memory was too small


def test_ids_expire_with_the_window_so_memory_does_not_grow_with_time():
    recent = SOURCE["RecentIds"](100)
    for i in range(50):
        recent.remember(("w", str(i)), expires=NOW + i, now=NOW)
    recent.remember(("w", "late"), expires=NOW + 1000, now=NOW + 25.5)
    assert len(recent) == 25 and recent.evicted_early == 0
    assert not recent.seen(("w", "0")) and recent.seen(("w", "49"))


# -- options ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    ({"secret": "s"}, "option 'port' is required"),
    ({"port": 8000}, "option 'secret' is required"),
    ({"port": 8000, "secret": ""}, "option 'secret' is empty"),
    ({"port": "eighty", "secret": "s"}, "option 'port' must be a number"),
    ({"port": 70000, "secret": "s"}, "at most 65535"),
    ({"port": 8000, "secret": "s", "allow_unsigned": "maybe"}, "'allow_unsigned' must be true or false"),
    ({"port": 8000, "secret": "s", "max_body_bytes": 0}, "'max_body_bytes' must be at least 1"),
    ({"port": 8000, "secret": "s", "keyfile": "k.pem"}, "'keyfile' needs 'certfile'"),
    ({"port": 8000, "secret": "s", "secrte": "typo"}, "unknown option(s) secrte"),
])
def test_bad_options_are_refused_naming_the_option(args, words):
    with pytest.raises(ValueError) as caught:
        SOURCE["parse_options"](args)
    assert words in str(caught.value)


def test_option_errors_never_echo_the_secret():
    for extra in ({"port": "x"}, {"port": 1, "allow_unsigned": "x"}, {"port": 1, "zzz": 1}):
        with pytest.raises(ValueError) as caught:
            SOURCE["parse_options"](dict(extra, secret="hunter2-very-secret"))
        assert "hunter2" not in str(caught.value)


def test_options_from_rulebook_variables_are_strings_and_are_converted():
    options = SOURCE["parse_options"]({"port": "18123", "allow_unsigned": "true", "timestamp_tolerance": "60",
                                       "eda_feedback_queue": object()})
    assert options["port"] == 18123 and options["allow_unsigned"] is True and options["timestamp_tolerance"] == 60
    assert options["host"] == "127.0.0.1" and options["max_body_bytes"] == 1048576


def test_http_heads_are_parsed_and_bad_ones_refused():
    method, target, version, headers, names = SOURCE["parse_head"](
        b"POST /org/acme?x=1 HTTP/1.1\r\nHost: h\r\nX-Genesys-Signature: sha256=ab\r\nContent-Length: 2")
    assert (method, target, version) == ("POST", "/org/acme?x=1", "HTTP/1.1")
    assert headers["x-genesys-signature"] == "sha256=ab" and names["x-genesys-signature"] == "X-Genesys-Signature"
    for bad in (b"GARBAGE", b"POST / HTTP/1.1\r\nno colon here",
                b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2"):
        with pytest.raises(SOURCE["BadRequest"]):
            SOURCE["parse_head"](bad)


# -- the listener, in process ----------------------------------------------------------------

def test_listener_answers_and_queues_over_a_real_socket():
    async def scenario():
        queue = asyncio.Queue()
        options = SOURCE["parse_options"]({"port": 0, "secret": SECRET, "max_body_bytes": 4096})
        listener = SOURCE["Listener"](queue, options, clock=lambda: NOW)
        server = await listener.start()
        port = server.sockets[0].getsockname()[1]

        async def post(raw, headers, path="/org/acme"):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            head = "POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n" % (path, len(raw))
            head += "".join("%s: %s\r\n" % kv for kv in headers.items())
            writer.write(head.encode() + b"\r\n" + raw)
            answer = await reader.read()
            writer.close()
            return int(answer.split(b" ", 2)[1])

        raw = delivery()
        statuses = [await post(raw, signed(raw)), await post(raw, signed(raw)),
                    await post(raw, signed(raw, "forged")), await post(b"x" * 5000, {})]
        # a client that goes away in the middle of its body
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /x HTTP/1.1\r\nContent-Length: 100\r\nX-Genesys-Signature: sha256=" + b"0" * 64
                     + b"\r\n\r\n{\"id\"")
        await writer.drain()
        writer.close()
        await asyncio.sleep(0.1)
        statuses.append(await post(delivery("e-2"), signed(delivery("e-2"))))
        server.close()
        await server.wait_closed()
        return statuses, [queue.get_nowait() for _ in range(queue.qsize())], listener.stats

    statuses, events, stats = asyncio.run(scenario())
    assert statuses == [202, 200, 401, 413, 202]
    assert [e["payload"]["id"] for e in events] == ["e-1", "e-2"]
    assert events[0]["meta"]["endpoint"] == "org/acme"
    assert "X-Genesys-Signature" not in events[0]["meta"]["headers"]
    assert events[0]["meta"]["headers"]["Host"] == "x"
    assert stats == {"accepted": 2, "duplicates": 1, "refused": 2, "disconnected": 1}


# -- the filter ------------------------------------------------------------------------------

def event(actor):
    return {"payload": {"id": "e", "eventType": "data.flex.schema.updated", "actor": actor}, "meta": {}}


def test_filter_drops_only_the_given_clients():
    main = FILTER["main"]
    assert main(event({"type": "client", "id": "automation"}), client_ids=["automation"]) == []
    kept = event({"type": "client", "id": "a-person"})
    assert main(kept, client_ids=["automation"]) is kept
    assert main(event({"type": "system", "id": None}), client_ids=["automation"])["payload"]["id"] == "e"
    assert main({"payload": {"id": "no actor"}}, client_ids=["automation"])["payload"]["id"] == "no actor"
    assert main({"other": "shape"}, client_ids=["automation"]) == {"other": "shape"}


def test_filter_reads_ids_from_the_environment(monkeypatch):
    monkeypatch.setenv("I21_AUTOMATION_CLIENTS", "one, two")
    main = FILTER["main"]
    assert main(event({"type": "client", "id": "two"}), client_ids_env="I21_AUTOMATION_CLIENTS") == []
    assert main(event({"type": "client", "id": "three"}), client_ids=["x"], client_ids_env="I21_AUTOMATION_CLIENTS")
    monkeypatch.delenv("I21_AUTOMATION_CLIENTS")
    with pytest.raises(ValueError, match="I21_AUTOMATION_CLIENTS named by 'client_ids_env' is unset"):
        main(event({"type": "client", "id": "two"}), client_ids_env="I21_AUTOMATION_CLIENTS")


@pytest.mark.parametrize("kwargs, words", [
    ({}, "give 'client_ids'"), ({"client_ids": [""]}, "non-empty strings"), ({"client_ids": 5}, "non-empty"),
    ({"client_ids_env": ""}, "name of an environment variable")])
def test_filter_arguments_are_checked(kwargs, words):
    with pytest.raises(ValueError, match=words):
        FILTER["main"](event({"type": "client", "id": "x"}), **kwargs)


def test_listener_speaks_https_with_certfile_and_keyfile(tmp_path):
    import shutil
    import ssl
    import subprocess

    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make a test certificate"
    cert, key = str(tmp_path / "listener.pem"), str(tmp_path / "listener.key")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert, "-days", "1"],
                   check=True, capture_output=True)

    async def scenario():
        queue = asyncio.Queue()
        options = SOURCE["parse_options"]({"port": 0, "secret": SECRET, "certfile": cert, "keyfile": key})
        listener = SOURCE["Listener"](queue, options, clock=lambda: NOW)
        server = await listener.start()
        port = server.sockets[0].getsockname()[1]
        client = ssl.create_default_context(cafile=cert)
        raw = delivery("tls-1")
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client)
        head = "POST /tls HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n" % len(raw)
        head += "".join("%s: %s\r\n" % kv for kv in signed(raw).items())
        writer.write(head.encode() + b"\r\n" + raw)
        answer = await reader.read()
        writer.close()
        # a plain-HTTP client gets no answer from an HTTPS listener
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
        plain = await reader.read()
        writer.close()
        server.close()
        await server.wait_closed()
        return answer, plain, queue.get_nowait()

    answer, plain, event = asyncio.run(scenario())
    assert answer.startswith(b"HTTP/1.1 202 ") and not plain.startswith(b"HTTP/1.1 2")
    assert event["payload"]["id"] == "tls-1" and event["meta"]["endpoint"] == "tls"
    with pytest.raises(ValueError, match="cannot load certfile .*missing.pem"):
        options = SOURCE["parse_options"]({"port": 0, "secret": "s", "certfile": str(tmp_path / "missing.pem")})
        SOURCE["Listener"](None, options).ssl_context()


def test_expect_100_continue_is_answered_before_the_body():
    async def scenario():
        queue = asyncio.Queue()
        listener = SOURCE["Listener"](queue, SOURCE["parse_options"]({"port": 0, "secret": SECRET}), clock=lambda: NOW)
        server = await listener.start()
        port = server.sockets[0].getsockname()[1]
        raw = delivery("expect-1")
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = ("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n"
                "Content-Length: %d\r\n" % len(raw))
        writer.write((head + "".join("%s: %s\r\n" % kv for kv in signed(raw).items()) + "\r\n").encode())
        interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        writer.write(raw)
        final = await reader.read()
        writer.close()
        server.close()
        await server.wait_closed()
        return interim, final

    interim, final = asyncio.run(scenario())
    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n" and final.startswith(b"HTTP/1.1 202 ")
