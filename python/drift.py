"""typed-pickle check --python: the Python side of drift detection. Reads {"classes": [{"module", "qualname"}]}
on stdin, imports each module once (which runs its code), and prints one JSON document on stdout: per
module, the import error if any; per class, introspect.py's description of it, the state form a default
instance really pickles with, and pickles of that instance at protocols 2 and 5 (where the class can be
built from its defaults). The TypeScript side treats every name and value in the output as data."""
import importlib
import json
import pickle
import sys

import introspect

PROTOCOLS = (2, 5)


def error_text(e):
    return f"{type(e).__name__}: {e}".strip()


def describe(module, qualname):
    obj = module
    for part in qualname.split("."):
        if not hasattr(obj, part):
            return {"found": False}
        obj = getattr(obj, part)
    if introspect.kind_of(obj) is None:
        return {"found": True, "describable": False, "what": repr(type(obj))}
    info = introspect.describe_class(obj)
    out = {"found": True, "describable": True, "info": info}
    instance, why = introspect.default_instance(obj, info["kind"], info.get("fields"))
    if why is not None:
        out["noInstance"] = why
    if instance is not None:
        try:
            out["observedState"] = introspect.observed_state(instance)
            out["pickles"] = {str(p): pickle.dumps(instance, protocol=p).hex() for p in PROTOCOLS}
        except Exception as e:
            out["noInstance"] = f"pickling cls() failed: {error_text(e)}"
    return out


def main():
    request = json.load(sys.stdin)
    # The modules' own prints go to stderr: stdout carries the JSON alone.
    out_stream, sys.stdout = sys.stdout, sys.stderr
    modules, module_errors, classes = {}, {}, []
    for c in request["classes"]:
        name, qualname = str(c["module"]), str(c["qualname"])
        if name not in modules and name not in module_errors:
            try:
                modules[name] = importlib.import_module(name)
            except BaseException as e:  # SystemExit and KeyboardInterrupt from a module's top level too
                module_errors[name] = error_text(e)
        if name in module_errors:
            continue
        try:
            result = describe(modules[name], qualname)
        except Exception as e:
            result = {"found": True, "describable": False, "what": f"a class introspection failed on ({error_text(e)})"}
        classes.append({"module": name, "qualname": qualname, **result})
    json.dump({"moduleErrors": module_errors, "classes": classes, "warnings": introspect.warnings}, out_stream, default=repr)


if __name__ == "__main__":
    main()
