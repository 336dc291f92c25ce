"""The Python side of examples/connection.ts: a multiprocessing.connection Client that sends
myapp.models.User records to the Node listener, then None, and prints the listener's reply.

    MP_AUTHKEY=<hex> python3 mp_send_users.py '["127.0.0.1", PORT]'
"""
import datetime
import json
import os
import sys
from multiprocessing.connection import Client

from myapp.models import Address, User

address = json.loads(sys.argv[1])
with Client(tuple(address) if isinstance(address, list) else address, authkey=bytes.fromhex(os.environ["MP_AUTHKEY"])) as conn:
    joined = datetime.datetime(2024, 5, 1, 9, 30)
    conn.send(User("Ada", 36, 9.5, ["chess", "lace"], True, Address("12 Analytical St", "10101"), joined))
    conn.send(User("Grace", 45, 8.0, ["cobol"], True, None, joined))
    conn.send(User("Linus", 28, created=joined))
    conn.send(None)
    print("python got:", conn.recv())
