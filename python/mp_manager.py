"""A multiprocessing.managers BaseManager server, and a Python peer of it, for
test/integrations/managers*.test.ts and examples/managers.ts.

  python3 mp_manager.py server AUTHKEY_HEX [UNIX_SOCKET_PATH]
      Serves on 127.0.0.1 (a free port), or on the Unix socket, until killed. Prints one JSON line
      first: {"address": [host, port]} or {"address": path}.
  python3 mp_manager.py peer PORT AUTHKEY_HEX
      The Python side of the shared queue and dict: takes a myapp.models.User from the queue, puts
      one back, reads the dict's 'from_node' and sets 'from_python'. Prints what it saw as JSON.
"""
import json
import queue
import sys
from multiprocessing.managers import BaseManager, DictProxy

from mp_manager_objects import Raiser, Registry, Tricky


class TestManager(BaseManager):
    pass


def serve(authkey, unix_path=None):
    shared_queue = queue.Queue()
    shared_dict = {}
    TestManager.register("get_queue", callable=lambda: shared_queue)
    TestManager.register("get_dict", callable=lambda: shared_dict, proxytype=DictProxy)
    TestManager.register("dict", dict, DictProxy)
    TestManager.register("Raiser", Raiser)
    TestManager.register("Tricky", Tricky)
    TestManager.register("Registry", Registry, method_to_typeid={"child": "Child"})
    # callable=None: the object a method returned is shared as it is (how SyncManager serves iterators).
    TestManager.register("Child", callable=None, proxytype=DictProxy, create_method=False)
    server = TestManager(address=unix_path or ("127.0.0.1", 0), authkey=authkey).get_server()
    address = server.address if unix_path else list(server.address)
    print(json.dumps({"address": address}), flush=True)
    server.serve_forever()


def peer(port, authkey):
    from myapp.models import User

    TestManager.register("get_queue")
    TestManager.register("get_dict", proxytype=DictProxy)
    manager = TestManager(address=("127.0.0.1", port), authkey=authkey)
    manager.connect()
    jobs = manager.get_queue()
    job = jobs.get(timeout=20)
    saw = {"class": f"{type(job).__module__}.{type(job).__qualname__}", "name": job.name, "age": job.age, "hobbies": job.hobbies}
    jobs.put(User(name=job.name + " (seen by Python)", age=job.age + 1, hobbies=job.hobbies + ["python"], is_active=False, created=job.created))
    shared = manager.get_dict()
    saw["from_node"] = shared.get("from_node")
    shared["from_python"] = {"answer": 42, "items": [1, 2, 3]}
    print(json.dumps(saw), flush=True)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "server":
        serve(bytes.fromhex(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
    elif command == "peer":
        peer(int(sys.argv[2]), bytes.fromhex(sys.argv[3]))
    else:
        sys.exit(f"unknown command {command!r}")
