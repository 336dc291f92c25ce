// The tzinfo of a typed datetime or time. CPython's unpickler takes only tzinfo instances ("bad tzinfo
// state arg" for anything else); a schema names no tzinfo class of its own, so a typed load takes
// None, datetime.timezone and zoneinfo.ZoneInfo, and refuses any other object — a schema class's
// instance included — with the field's path and the datetime's offset. Dumps refuse them alike.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PicklingError, PyDateTime, PyGlobal, PyObject, PyTime, PyTimezone, PyTimeDelta, PyZoneInfo, dumps, dumpsTyped, loads, loadsTyped, type PyValue } from "typed-pickle";
import { EverythingCodec } from "../../generated/catalog.ts";
import { DatabaseConnectionCodec, loadsDatabaseConnection } from "../../generated/connection.ts";
import { DatabaseConnection } from "../../schemas/connection.ts";
import { fromHex, runPython, toHex } from "../support/python.ts";
import { refusal } from "../support/refusal.ts";

const CONNECTION = new PyGlobal("myapp.db", "DatabaseConnection");

/** A DatabaseConnection pickle (as CPython writes it) whose last_accessed has `tzinfo`. */
function connectionWith(tzinfo: PyValue): Uint8Array {
  const o = new PyObject(CONNECTION, [], null, "newobj");
  o.state = new Map<PyValue, PyValue>([
    ["connection_string", "db"],
    ["last_accessed", new PyDateTime(2024, 1, 2, 3, 4, 5, 6, tzinfo)],
  ]);
  return dumps(o);
}

/** What CPython's pickle.loads says of each pickle: "ok" or the exception. */
function cpython(pickles: Uint8Array[]): string[] {
  const code = `
import pickle, sys
for line in sys.stdin:
    try:
        pickle.loads(bytes.fromhex(line.strip()))
        print("ok")
    except Exception as e:
        print(f"{type(e).__name__}: {e}")
`;
  return runPython(["-c", code], pickles.map(toHex).join("\n") + "\n")
    .trim()
    .split("\n");
}

const test = suite("typed tzinfo");

test("a schema instance as a datetime's tzinfo is refused, as CPython refuses it", () => {
  const inner = new PyObject(CONNECTION, [], null, "newobj");
  inner.state = new Map<PyValue, PyValue>([["connection_string", "tz"]]);
  const bytes = connectionWith(inner);
  assert.equal(cpython([bytes]), ["TypeError: bad tzinfo state arg"]);
  const e = refusal(() => loadsDatabaseConnection(bytes));
  assert.is(
    e.message,
    `DatabaseConnection.last_accessed: bad tzinfo state arg: expected a tzinfo of None, datetime.timezone or zoneinfo.ZoneInfo, got myapp.db.DatabaseConnection (offset ${e.offset}, REDUCE)`,
  );
  // The offset is the datetime's REDUCE (the tzinfo instance is made before it).
  assert.is(bytes[e.offset], 0x52);
  assert.ok(e.offset > toHex(bytes).indexOf(toHex(new TextEncoder().encode("tz"))) / 2);
});

test("a time's tzinfo likewise", () => {
  const everything = loads(fromHex(JSON.parse(runPython(["schema_samples.py", "dump"])).everything.pickles[4]), { mode: "opaque" }) as PyObject;
  const state = everything.state as Map<PyValue, PyValue>;
  const money = state.get("money")!;
  state.set("clock", new PyTime(23, 59, 59, 999999, money));
  const bytes = dumps(everything);
  assert.equal(cpython([bytes]), ["TypeError: bad tzinfo state arg"]);
  const e = refusal(() => loadsTyped(EverythingCodec, bytes));
  assert.is(
    e.message,
    `Everything.clock: bad tzinfo state arg: expected a tzinfo of None, datetime.timezone or zoneinfo.ZoneInfo, got myapp.catalog.Money (offset ${e.offset}, REDUCE)`,
  );
});

test("None, a fixed offset and an IANA zone load, through either path", () => {
  const zones: PyValue[] = [null, PyTimezone.utc, new PyTimezone(new PyTimeDelta(0, 7200), "CEST"), new PyZoneInfo("Europe/Paris")];
  const pickles = zones.map(connectionWith);
  assert.equal(cpython(pickles), ["ok", "ok", "ok", "ok"]);
  pickles.forEach((bytes, i) => {
    const loaded = loadsDatabaseConnection(bytes);
    assert.ok(loaded instanceof DatabaseConnection);
    const tz = loaded.lastAccessed.tzinfo;
    if (i === 0) assert.is(tz, null);
    else assert.instance(tz, i === 3 ? PyZoneInfo : PyTimezone);
  });
});

test("dumps refuse another tzinfo with the path (the direct writer leaves it to the general one)", () => {
  const conn = Object.assign(new DatabaseConnection(), { connectionString: "db", lastAccessed: new PyDateTime(2024, 1, 2, 3, 4, 5, 6, new PyObject(CONNECTION, [])) });
  for (const protocol of [2, 4, 5]) {
    assert.throws(
      () => dumpsTyped(DatabaseConnectionCodec, conn, { protocol }),
      (e: unknown) =>
        e instanceof PicklingError &&
        e.message === "DatabaseConnection.last_accessed: bad tzinfo state arg: expected a tzinfo of None, datetime.timezone or zoneinfo.ZoneInfo, got a PyObject",
    );
  }
  const utc = Object.assign(new DatabaseConnection(), { connectionString: "db", lastAccessed: new PyDateTime(2024, 1, 2, 3, 4, 5, 6, PyTimezone.utc) });
  assert.ok((loadsDatabaseConnection(dumpsTyped(DatabaseConnectionCodec, utc)).lastAccessed.tzinfo as PyTimezone).isUtc);
});

test.run();
