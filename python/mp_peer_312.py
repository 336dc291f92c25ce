"""The Python 3.12+ side of multiprocessing's handshake, for test/integrations/connection-312.test.ts.

Python 3.12 is not installed here, so this peer runs on 3.11: it uses 3.11's Listener/Client for
the sockets and frames (unchanged in 3.12) and does the handshake itself. Written from the protocol's
description (the 3.12 changelog and multiprocessing docs), not copied from CPython:

- The deliverer sends b"#CHALLENGE#" + b"{sha256}" + 40 random bytes. The answerer replies with
  b"{sha256}" + HMAC-SHA256(authkey, message) where message is everything after #CHALLENGE#,
  prefix included. A 16-byte reply is taken as a legacy bare HMAC-MD5 (a 3.11 answerer).
- An answerer given a challenge of exactly 20 bytes (a 3.11 deliverer) replies with a bare HMAC-MD5.
- The verdict is b"#WELCOME#" or b"#FAILURE#"; messages are read with a 256-byte limit.

Usage is mp_peer.py's; events also say which digest each side used.
"""
import hmac
import os

import mp_peer
from multiprocessing import AuthenticationError

CHALLENGE, WELCOME, FAILURE = b"#CHALLENGE#", b"#WELCOME#", b"#FAILURE#"
ALLOWED = {"md5", "sha256", "sha384", "sha3_256", "sha3_384"}


def split_digest(message):
    """(digest name, MAC or payload); md5 for the legacy lengths."""
    if len(message) in (16, 20):
        return "md5", message
    if message.startswith(b"{"):
        end = message.find(b"}", 1, 12)
        if end > 0 and message[1:end].decode("ascii", "replace") in ALLOWED:
            return message[1:end].decode("ascii"), message[end + 1:]
    raise AuthenticationError(f"no digest prefix or an unsupported one: {message[:16]!r}")


def deliver(conn, authkey):
    message = b"{sha256}" + os.urandom(40)
    conn.send_bytes(CHALLENGE + message)
    reply = conn.recv_bytes(256)
    name, mac = split_digest(reply)
    expected = hmac.new(authkey, message, name).digest()
    if not hmac.compare_digest(expected, mac):
        conn.send_bytes(FAILURE)
        raise AuthenticationError(f"wrong {name} digest from the peer")
    conn.send_bytes(WELCOME)
    return name


def answer(conn, authkey):
    received = conn.recv_bytes(256)
    if not received.startswith(CHALLENGE):
        raise AuthenticationError("expected a challenge")
    message = received[len(CHALLENGE):]
    name, _ = split_digest(message)
    mac = hmac.new(authkey, message, name).digest()
    conn.send_bytes(mac if len(message) in (16, 20) else b"{" + name.encode() + b"}" + mac)
    if conn.recv_bytes(256) != WELCOME:
        raise AuthenticationError("our answer was rejected")
    return name


def accept_handshake(conn, authkey):
    """A 3.12 Listener.accept: deliver, then answer."""
    return {"peer_digest": deliver(conn, authkey), "our_digest": answer(conn, authkey)}


def client_handshake(conn, authkey):
    """A 3.12 Client: answer, then deliver."""
    ours = answer(conn, authkey)
    return {"our_digest": ours, "peer_digest": deliver(conn, authkey)}


if __name__ == "__main__":
    mp_peer.main(accept=accept_handshake, handshake=client_handshake)
