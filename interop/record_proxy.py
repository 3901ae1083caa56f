#!/usr/bin/env python3
"""A recording HTTP proxy for the interop suite (Python standard library only, loopback only).

    record_proxy.py serve --target http://127.0.0.1:PORT --sdk NAME --project-id ID \
        --out raw.jsonl --port-file FILE
    record_proxy.py normalize raw.jsonl > recorded.jsonl

`serve` listens on a free 127.0.0.1 port (written to --port-file once it listens), forwards
every request to --target unchanged (method, path, query, headers, body) and every answer back
unchanged (status, headers, body), and appends one JSON line per request to --out:

    {"sdk", "method", "path", "query", "headers", "body", "response": {"status", "body"}}

Header names are lower-cased; the `Authorization` value keeps its shape with each part replaced
by a placeholder (`Bearer <project-id>:<refresh-jwt-3>`; the management key is `<key>`, and an
access key presented to the exchange `<access-key-N>`, numbered by first sight, so a rotated
key's old and new cleartexts differ). JWTs are numbered per kind (`drn`
claim: `DS` session, `DSR` refresh) in the order the proxy first sees them, in answers or in
requests, so a placeholder names the same token throughout one run. `body` is the parsed JSON
body (null when there is none or it is not JSON). A line is written and flushed before the
answer goes back, so a driver that has its answer can read the line.

`normalize` turns such a file into the committed form: only the keys the SDK sent (no
`response`), and every volatile value replaced by a stable placeholder: JWTs anywhere, one-time
codes and magic-link tokens in verify bodies (numbered by first appearance), the ids the emulator
makes for users, tenants, roles, permissions and access keys (`<user-id-1>`, `<access-key-id-1>`,
in bodies, paths and queries), the
project id, the host and port, and headers that name the machine's runtime version or a random
session id.
Login ids need nothing: the drivers derive them from fixed counters.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import re
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JWT_RE = re.compile(r"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
JWT_SEARCH_RE = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
# The ids the emulator makes (`new_id` in emulator/src/api/management/mod.rs: a prefix and 32
# hex digits) for users, tenants created without an id, roles, permissions and access keys,
# which the management drivers send back.
GENERATED_ID_RE = re.compile(r"(?<![A-Za-z0-9])(U|T|ROL|PERM|K2)[0-9a-f]{32}(?![A-Za-z0-9])")
GENERATED_ID_KINDS = {"U": "user-id", "T": "tenant-id", "ROL": "role-id", "PERM": "permission-id",
                      "K2": "access-key-id"}
# The path whose bearer carries an access key (`<ProjectId>:<AccessKey>`), not the management key.
ACCESS_KEY_EXCHANGE = "/v1/auth/accesskey/exchange"
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}


def jwt_kind(token: str) -> str:
    """`session-jwt`, `refresh-jwt` or `jwt`, from the token's `drn` claim."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, IndexError):
        return "jwt"
    drn = claims.get("drn") if isinstance(claims, dict) else None
    return {"DS": "session-jwt", "DSR": "refresh-jwt"}.get(drn, "jwt")


class Placeholders:
    """Volatile values to numbered placeholders, by kind, in order of first sight."""

    def __init__(self) -> None:
        self.by_value: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def name(self, kind: str, value: str) -> str:
        with self.lock:
            known = self.by_value.get(value)
            if known is None:
                self.counts[kind] = self.counts.get(kind, 0) + 1
                known = f"<{kind}-{self.counts[kind]}>"
                self.by_value[value] = known
            return known

    def jwt(self, token: str) -> str:
        return self.name(jwt_kind(token), token)

    def see_jwts(self, value) -> None:
        """Registers every JWT inside a parsed JSON value (an answer), in document order."""
        if isinstance(value, str):
            for match in JWT_SEARCH_RE.findall(value):
                self.jwt(match)
        elif isinstance(value, dict):
            for item in value.values():
                self.see_jwts(item)
        elif isinstance(value, list):
            for item in value:
                self.see_jwts(item)

    def replace_ids(self, value):
        """Every id the emulator made, in strings, keys and lists, by its kind."""
        if isinstance(value, str):
            return GENERATED_ID_RE.sub(lambda m: self.name(GENERATED_ID_KINDS[m.group(1)], m.group(0)), value)
        if isinstance(value, dict):
            return {self.replace_ids(key): self.replace_ids(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.replace_ids(item) for item in value]
        return value

    def replace_jwts(self, value, prefix: str = ""):
        if isinstance(value, str):
            return JWT_SEARCH_RE.sub(lambda m: self.name(prefix + jwt_kind(m.group(0)), m.group(0)), value)
        if isinstance(value, dict):
            return {key: self.replace_jwts(item, prefix) for key, item in value.items()}
        if isinstance(value, list):
            return [self.replace_jwts(item, prefix) for item in value]
        return value


def authorization_placeholder(value: str, project_id: str, names: Placeholders, key_kind: str = "") -> str:
    """`key_kind` names the non-JWT secrets after the project id (numbered, `<access-key-1>`);
    without it they are all `<key>` (the management key)."""
    scheme, _, credentials = value.partition(" ")
    if not credentials:
        return value
    parts = []
    for index, part in enumerate(credentials.split(":")):
        if index == 0 and part == project_id:
            parts.append("<project-id>")
        elif JWT_RE.match(part):
            parts.append(names.jwt(part))
        elif part == "":
            parts.append("")
        elif index > 0 and key_kind:
            parts.append(names.name(key_kind, part))
        else:
            parts.append("<key>" if index > 0 else "<other-project-id>")
    return f"{scheme} {':'.join(parts)}"


def parse_json(raw: bytes):
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def serve(args: argparse.Namespace) -> None:
    target = urllib.parse.urlsplit(args.target)
    if target.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("record_proxy: the target must be on loopback")
    names = Placeholders()
    out = open(args.out, "a", encoding="utf-8")
    write_lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # The answer goes out in two writes (head, then body): without this, Nagle's
            # algorithm holds the body until the client's delayed ACK (~40 ms per request).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format, *arguments):  # noqa: A002 - the base class's name
            pass

        def read_body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def forward(self) -> None:
            body = self.read_body()
            headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
            if body and not any(k.lower() == "content-length" for k, _ in headers):
                headers.append(("Content-Length", str(len(body))))
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for key, value in headers:
                    connection.putheader(key, value)
                connection.endheaders(body if body else None)
                answer = connection.getresponse()
                answer_body = answer.read()
                status, reason = answer.status, answer.reason
                answer_headers = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
            except OSError as error:
                status, reason = 502, "Bad Gateway"
                answer_body = json.dumps({"proxyError": str(error)}).encode()
                answer_headers = [("Content-Type", "application/json")]
            finally:
                connection.close()

            parsed_answer = parse_json(answer_body)
            names.see_jwts(parsed_answer)
            for key, value in answer_headers:
                if key.lower() == "set-cookie":
                    names.see_jwts(value)
            split = urllib.parse.urlsplit(self.path)
            recorded_headers = {}
            for key, value in self.headers.items():
                key = key.lower()
                if key == "authorization":
                    kind = "access-key" if split.path == ACCESS_KEY_EXCHANGE else ""
                    value = authorization_placeholder(value, args.project_id, names, kind)
                recorded_headers[key] = value
            record = {
                "sdk": args.sdk,
                "method": self.command,
                "path": split.path,
                "query": split.query or None,
                "headers": dict(sorted(recorded_headers.items())),
                "body": parse_json(body),
                "response": {"status": status, "body": parsed_answer if parsed_answer is not None else answer_body.decode("utf-8", "replace")},
            }
            with write_lock:
                out.write(json.dumps(record, sort_keys=False) + "\n")
                out.flush()

            self.send_response_only(status, reason)
            for key, value in answer_headers:
                if key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer_body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer_body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(f"{port}\n")
    os.replace(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


# Headers whose values depend on the machine or the run, not on the SDK's behaviour.
VOLATILE_HEADERS = {
    "host": "<host>",
    "x-descope-sdk-python-version": "<python-version>",
    "x-descope-sdk-node-version": "<node-version>",
    "x-descope-sdk-session-id": "<sdk-session-id>",
}


def normalize(lines: list[str]) -> list[str]:
    names = Placeholders()
    out = []
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        project_id_header = record["headers"].get("x-descope-project-id")
        headers = {}
        for key, value in record["headers"].items():
            if key in VOLATILE_HEADERS:
                value = VOLATILE_HEADERS[key]
            elif key == "x-descope-project-id":
                value = "<project-id>"
            headers[key] = value
        path = record["path"]
        if project_id_header:
            path = path.replace(project_id_header, "<project-id>")
        body = record["body"]
        if isinstance(body, dict) and "/verify" in path:
            body = dict(body)
            if isinstance(body.get("code"), str):
                body["code"] = names.name("otp-code", body["code"])
            if isinstance(body.get("token"), str):
                body["token"] = names.name("link-token", body["token"])
        # The proxy already numbered the JWTs of the Authorization header; any other JWT
        # (none is expected in a request body) gets a placeholder of its own.
        body = names.replace_jwts(body, prefix="body-")
        body = names.replace_ids(body)
        path = names.replace_ids(path)
        query = record.get("query")
        if query:
            query = names.replace_ids(JWT_SEARCH_RE.sub("<jwt>", query))
        out.append(
            json.dumps(
                {
                    "sdk": record["sdk"],
                    "method": record["method"],
                    "path": path,
                    "query": query,
                    "headers": headers,
                    "body": body,
                },
                sort_keys=False,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve")
    serve_parser.add_argument("--target", required=True)
    serve_parser.add_argument("--sdk", required=True)
    serve_parser.add_argument("--project-id", required=True)
    serve_parser.add_argument("--out", required=True)
    serve_parser.add_argument("--port-file", required=True)
    normalize_parser = commands.add_parser("normalize")
    normalize_parser.add_argument("raw")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args)
    else:
        with open(args.raw, encoding="utf-8") as handle:
            for line in normalize(handle.readlines()):
                print(line)


if __name__ == "__main__":
    main()
