"""A multiprocessing.connection peer for test/integrations/connection*.test.ts: this python3's own
Listener/Client (3.11 here: the legacy MD5 handshake), serving commands the Node side sends.

    python3 mp_peer.py listen tcp|unix AUTHKEY|-          # prints {"event": "listening", "address": ...}
    python3 mp_peer.py connect ADDRESS_JSON AUTHKEY|-     # prints {"event": "connected"} or "auth-failed"

Events go to stdout as JSON lines. A listener accepts one connection after another (a failed
handshake prints "auth-failed" and it goes on) until it is killed. Each connection serves commands —
pickled tuples — until the peer closes it; see serve().
"""
import datetime
import json
import os
import pickle
import sys
import tempfile
import time
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Listener

from myapp.models import Address, User


def emit(**event):
    print(json.dumps(event), flush=True)


class _System:
    """Pickles as a call of os.system: the hostile frame. Only its bytes are made here; nothing runs."""

    def __reduce__(self):
        return (os.system, ("echo typed-pickle-was-tricked",))


def serve(conn):
    """Answers commands until the peer closes the connection (or sends ("quit",))."""
    while True:
        try:
            command = conn.recv()
        except EOFError:
            return
        name, args = command[0], command[1:]
        if name == "echo":  # send back the value
            conn.send(args[0])
        elif name == "echo_bytes":  # send back the next frame as it is
            conn.send_bytes(conn.recv_bytes())
        elif name == "bytes":  # a frame of n bytes: 0, 1, 2, … mod 251
            n = args[0]
            conn.send_bytes(bytes(range(251)) * (n // 251) + bytes(range(n % 251)))
        elif name == "describe":  # receive one object; send back its type and repr
            value = conn.recv()
            conn.send((type(value).__module__ + "." + type(value).__qualname__, repr(value)))
        elif name == "user":  # a myapp.models.User, as the typed tests expect
            conn.send(User(args[0], 41, 2.5, ["chess"], True, Address("1 Main St", "12345"), datetime.datetime(2024, 1, 2, 3, 4, 5)))
        elif name == "hostile":  # a pickle that would run os.system, then a harmless value
            conn.send(_System())
            conn.send("still here")
        elif name == "bad_header":  # a negative frame length other than -1
            conn._send((-5).to_bytes(4, "big", signed=True))
        elif name == "sleep":  # answer after a pause (the timeout tests)
            time.sleep(args[0])
            conn.send("awake")
        elif name == "quit":
            conn.close()
            return
        else:
            conn.send(("unknown command", name))


def authkey_arg(text):
    return None if text == "-" else text.encode()


def listen(family, authkey, accept=None):
    """Accepts and serves connections for ever. `accept` does the handshake (default: Listener's own)."""
    if family == "tcp":
        listener = Listener(("127.0.0.1", 0), authkey=None if accept else authkey)
        address = list(listener.address)
    else:
        path = os.path.join(tempfile.mkdtemp(prefix="mp-peer-"), "listener.sock")
        listener = Listener(path, family="AF_UNIX", authkey=None if accept else authkey)
        address = path
    emit(event="listening", address=address)
    while True:
        try:
            conn = listener.accept()
            details = accept(conn, authkey) if accept and authkey else {}
        except AuthenticationError as e:
            emit(event="auth-failed", message=str(e))
            continue
        except (EOFError, OSError) as e:
            emit(event="dropped", message=str(e))
            continue
        emit(event="accepted", **details)
        try:
            serve(conn)
        except (EOFError, OSError) as e:
            emit(event="dropped", message=str(e))
        emit(event="closed")


def connect(address, authkey, handshake=None):
    """Connects (the handshake by `handshake`, default Client's own), serves commands, exits when closed."""
    address = tuple(address) if isinstance(address, list) else address
    try:
        if handshake and authkey:
            conn = Client(address)
            details = handshake(conn, authkey)
        else:
            conn = Client(address, authkey=authkey)
            details = {}
    except AuthenticationError as e:
        emit(event="auth-failed", message=str(e))
        return
    emit(event="connected", **details)
    serve(conn)
    emit(event="closed")


def main(accept=None, handshake=None):
    mode = sys.argv[1]
    if mode == "listen":
        listen(sys.argv[2], authkey_arg(sys.argv[3]), accept)
    elif mode == "connect":
        connect(json.loads(sys.argv[2]), authkey_arg(sys.argv[3]), handshake)
    else:
        sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
