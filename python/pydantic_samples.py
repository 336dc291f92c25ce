"""pydantic v2 model pickles for test/typed/pydantic.test.ts.

  samples: prints {name: [hex at protocols 0..5]} for each sample model.
  compare: reads {"name": ..., "protocol": p, "hex": ...} lines; prints, per line, whether the pickle
           loads to a model equal to the sample (fields, private and extra attributes, fields_set).
  made:    reads hex lines of Orders made in TypeScript; prints each as JSON (fields and fields_set).
"""
import json
import pickle
import sys

from myapp.accounts import Item, Loose, Order, Secret


def samples():
    shared = Item(name="bolt", qty=3, tags=["m4", "steel"])
    secret = Secret(name="s")
    secret._token = "t0k3n"
    return {
        "item_defaults": Item(name="nut"),
        "item_set": Item(name="washer", qty=10, tags=[]),
        "order_shared": Order(id=7, items=[shared, shared], note="twice"),
        "order_plain": Order(id=8, items=[]),
        "loose": Loose(name="l", color="red", size=3),
        "secret": secret,
    }


def same(a, b):
    return (
        type(a) is type(b)
        and a == b
        and a.model_fields_set == b.model_fields_set
        and a.__pydantic_extra__ == b.__pydantic_extra__
        and a.__pydantic_private__ == b.__pydantic_private__
    )


def main():
    mode = sys.argv[1]
    if mode == "samples":
        print(json.dumps({name: [pickle.dumps(v, protocol=p).hex() for p in range(6)] for name, v in samples().items()}))
    elif mode == "compare":
        expected = samples()
        for line in sys.stdin.read().split("\n"):
            if line:
                case = json.loads(line)
                got = pickle.loads(bytes.fromhex(case["hex"]))
                ok = same(got, expected[case["name"]])
                if ok and case["name"] == "order_shared":
                    ok = got.items[0] is got.items[1]
                print(json.dumps(ok))
    elif mode == "made":
        for line in sys.stdin.read().split():
            order = pickle.loads(bytes.fromhex(line))
            print(json.dumps({"type": type(order).__name__, "dump": order.model_dump(), "fields_set": sorted(order.model_fields_set), "valid": Order.model_validate(order.model_dump()) == order}))


main()
