// Every type of the mapping table and every state form, with the Python classes in
// python/myapp/catalog.py that they stand for.
import {
  field,
  pyclass,
  pyenum,
  type Any,
  type Decimal,
  type UUID,
  type bytearray,
  type bytes,
  type date,
  type datetime,
  type float,
  type frozenset,
  type int,
  type time,
  type timedelta,
} from "typed-pickle";

export enum Color {
  RED = "red",
  GREEN = "green",
  BLUE = "blue",
}
pyenum(Color, "myapp.catalog", "Color");

export enum Priority {
  LOW = 1,
  HIGH = 2,
}
pyenum(Priority, "myapp.catalog", "Priority");

/** __slots__ without __getstate__: state (None, {slot: value}). */
@pyclass("myapp.catalog", "SlotPoint", { state: "slots" })
export class SlotPoint {
  @field() x!: int;
  @field() y!: int;
}

/** A namedtuple: constructor arguments, no state. */
@pyclass("myapp.catalog", "Pair", { state: "args" })
export class Pair {
  @field() key!: string;
  @field() value!: int;
}

/** __getstate__ returns a tuple, __setstate__ takes it apart. */
@pyclass("myapp.catalog", "Temperature", { state: "tuple" })
export class Temperature {
  @field() celsius!: float;
  @field() label!: string;
}

/** __reduce__ returns (Money, (amount, currency)). */
@pyclass("myapp.catalog", "Money", { state: "reduce" })
export class Money {
  @field() amount!: Decimal;
  @field() currency!: string;
}

/** A tree: children below, a parent back-reference above (a cycle). */
/** A named list of floats, held compactly: Float64Array ↔ list[float]. */
@pyclass("myapp.catalog", "Series")
export class Series {
  @field() name!: string;
  @field() values!: Float64Array;
}

@pyclass("myapp.catalog", "Category")
export class Category {
  @field() name!: string;
  @field() parent!: Category | null;
  @field() children: Category[] = [];
}

export const DEFAULT_TAGS = ["new"];

@pyclass("myapp.catalog", "Everything")
export class Everything {
  @field() text!: string;
  @field() flag!: boolean;
  @field() count!: int;
  @field() huge!: bigint;
  @field() ratio!: float;
  @field() raw!: bytes;
  @field() buffer!: bytearray;
  @field() numbers!: int[];
  @field() pair!: [string, float];
  @field() tags!: Set<string>;
  @field() frozen!: frozenset<bigint>;
  @field() counts!: Map<string, int>;
  @field() weights!: Record<string, float>;
  @field({ name: "keyed_by_tuple" }) keyedByTuple!: Map<[int, int], string>;
  @field() maybe!: string | null;
  @field() when!: datetime;
  @field() day!: date;
  @field() clock!: time;
  @field() span!: timedelta;
  @field() price!: Decimal;
  @field() id!: UUID;
  @field() color!: Color;
  @field() priority!: Priority;
  @field() extra!: Any;
  @field() point!: SlotPoint;
  @field() pairs!: Pair[];
  @field() temperature!: Temperature;
  @field() money!: Money;
  @field() labels: string[] = DEFAULT_TAGS;
  @field() nickname?: string;
}
