// numpy's reconstruction globals, interpreted (never called), as the standard library's are in
// ../reader/standard-globals.ts. The forms numpy writes (numpy/_core/src/multiarray/methods.c,
// descriptor.c, scalartypes.c; numpy/_core/numeric.py):
//   protocols 2–4:  _reconstruct(ndarray, (0,), b'b') + BUILD (1, shape, dtype, is_fortran, raw)
//   protocol 5:     _frombuffer(buffer, dtype, shape, order[, axis_order])
//   dtype:          numpy.dtype('f8', False, True) + BUILD (3, '<', None, None, None, -1, -1, 0)
//   scalar:         scalar(dtype, raw)
// under numpy 1.x's `numpy.core.*` and 2.x's `numpy._core.*` module names. Every length and shape
// is checked against the bytes present before anything is allocated.
import { PyBytearray, PyTuple } from "../model/containers.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import { typeName } from "../reader/dict-keys.ts";
import { type BuildContext, type GlobalHandler, type GlobalRegistry, ReductionError, SET_STATE } from "../reader/globals.ts";
import { dataFromBytes, transposed } from "./element-bytes.ts";
import { NUMPY_MODULES } from "./modules.ts";
import { NdArray, NUMPY_TYPE_BY_CODE, type NumpyByteOrder, NumpyDtype, type NumpyGeneration, type NumpyTypeName } from "./ndarray.ts";
import { scalarFromBytes } from "./scalar-value.ts";
import { becomeOpaque, NumpyUnsupportedError, unsupported } from "./unsupported.ts";

function fail(message: string): never {
  throw new ReductionError(message);
}

/** numpy 2.x's NPY_MAXDIMS (1.x allows 32). */
const MAX_DIMS = 64;

const MODULES = NUMPY_MODULES;

/** What numpy's other kind letters are, for the refusal's message. */
const UNSUPPORTED_KINDS: Record<string, string> = {
  O: "object",
  V: "structured or void",
  M: "datetime64",
  m: "timedelta64",
  f: "long double",
  c: "long double complex",
  T: "StringDType",
};

function flag(name: string, v: PyValue | undefined): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "bigint") return v !== 0n;
  fail(`${name}: expected a bool, got ${typeName(v)}`);
}

/** latin-1 text (a bytes value read from a Python 2 pickle with encoding='latin1') or bytes. */
function rawBytes(what: string, v: PyValue | undefined): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") {
    const out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c > 0xff) fail(`${what}: a str with characters beyond latin-1 is not array data`);
      out[i] = c;
    }
    return out;
  }
  fail(`${what}: expected bytes, got ${typeName(v)}`);
}

/**
 * A shape tuple: non-negative ints, at most 64 of them, whose product of item bytes fits what
 * `available` holds. Checked before any allocation: a claimed shape alone never sizes anything.
 */
function shapeOf(what: string, v: PyValue | undefined): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : typeof v === "bigint" ? [v] : fail(`${what}: the shape must be a tuple of ints, got ${typeName(v)}`);
  if (items.length > MAX_DIMS) fail(`${what}: maximum supported dimension for an ndarray is ${MAX_DIMS}, found ${items.length}`);
  return items.map((d) => {
    if (typeof d !== "bigint") fail(`${what}: the shape must hold ints, got ${typeName(d)}`);
    if (d < 0n) fail(`${what}: negative dimensions are not allowed`);
    if (d > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what}: array is too big`);
    return Number(d);
  });
}

/** product(shape) × itemSize, checked to equal `length` without overflowing (a zero dimension wins). */
function checkDataLength(what: string, shape: readonly number[], itemSize: number, length: number): void {
  if (shape.includes(0)) {
    if (length !== 0) fail(`${what}: ${length} data bytes for an array with no elements`);
    return;
  }
  let bytes = itemSize;
  for (const d of shape) {
    bytes *= d;
    if (bytes > length) fail(`${what}: the shape (${shape.join(", ")}) needs more data than the ${length} bytes given`);
  }
  if (bytes !== length) fail(`${what}: the shape (${shape.join(", ")}) of ${itemSize}-byte items needs ${bytes} data bytes, got ${length}`);
}

/** A dtype under construction: numpy.dtype(code, align, copy) makes it, BUILD sets its byte order (and str/bytes size). */
class BuildingDtype extends NumpyDtype {
  constructor(type: NumpyTypeName, byteOrder: NumpyByteOrder, itemSize: number, args: readonly PyValue[]) {
    super(type, byteOrder, itemSize);
    this.#args = args;
  }

  /** The call's arguments, for the opaque record (a private field: not part of the value). */
  readonly #args: readonly PyValue[];

  [SET_STATE](state: PyValue, ctx: BuildContext): void {
    const items = state instanceof PyTuple ? state.items : fail(`dtype state must be a tuple, got ${typeName(state)}`);
    const version = items[0];
    if (!((version === 3n && items.length === 8) || (version === 4n && items.length === 9))) {
      fail(`dtype state: expected version 3 (8 items) or 4 (9 items), got ${items.length} items starting ${typeName(version)}`);
    }
    const [, endian, subarray, names, fields, elsize, alignment, flags, metadata = null] = items;
    if (endian !== "<" && endian !== ">" && endian !== "|" && endian !== "=") fail(`dtype state: invalid byte order ${JSON.stringify(endian)}`);
    if (subarray !== null || names !== null || fields !== null) fail("dtype state: a subarray or fields on a non-structured dtype");
    if (typeof elsize !== "bigint" || typeof alignment !== "bigint" || typeof flags !== "bigint") fail("dtype state: item size, alignment and flags must be ints");
    if (metadata !== null) {
      if (!ctx.opaque) throw new NumpyUnsupportedError("numpy dtype metadata is not supported (read in opaque mode to keep it as data)");
      becomeOpaque(this, DTYPE, this.#args, state);
      return;
    }
    const flexible = this.type === "bytes" || this.type === "str";
    let itemSize = this.itemSize;
    if (flexible) {
      if (elsize < 0n || elsize > BigInt(Number.MAX_SAFE_INTEGER) || (this.type === "str" && elsize % 4n !== 0n)) fail(`dtype state: invalid item size ${elsize} for ${this.type}`);
      itemSize = Number(elsize);
    }
    const oneByte = this.type === "bytes" || itemSize === 1;
    // numpy keeps '|' for one-byte types whatever the state says; '=' is the native order.
    const byteOrder: NumpyByteOrder = oneByte ? "|" : endian === "=" ? "<" : endian === "|" ? fail(`dtype state: byte order '|' for ${this.type}`) : endian;
    Object.assign(this, { byteOrder, itemSize });
  }
}

const DTYPE = new PyGlobal("numpy", "dtype");

const numpyDtype: GlobalHandler = {
  call(args, ctx) {
    if (args.length < 1 || args.length > 3) fail(`dtype() takes 1 to 3 arguments (${args.length} given)`);
    const [code, align = false, copy = true] = args;
    flag("dtype align", align);
    flag("dtype copy", copy);
    if (typeof code !== "string") {
      if (code instanceof PyGlobal || code instanceof PyObject)
        return unsupported(`numpy dtype of ${code instanceof PyGlobal ? code.qualifiedName : "a constructed object"}`, ctx, DTYPE, args);
      fail(`dtype: expected a type code str, got ${typeName(code)}`);
    }
    const known = NUMPY_TYPE_BY_CODE[code];
    if (known) return new BuildingDtype(known, NumpyDtype.of(known).byteOrder, NumpyDtype.of(known).itemSize, args);
    const flexible = /^([SU])(\d{1,15})$/.exec(code);
    if (flexible) {
      const n = Number(flexible[2]);
      return flexible[1] === "S" ? new BuildingDtype("bytes", "|", n, args) : new BuildingDtype("str", "<", 4 * n, args);
    }
    const kind = UNSUPPORTED_KINDS[code[0] ?? ""];
    if (kind) return unsupported(`numpy dtype '${code}' (${kind})`, ctx, DTYPE, args);
    fail(`dtype: data type '${code}' not understood`);
  },
};

/** A numpy dtype as an argument: the model's, or (opaque mode) a recorded one that makes the caller opaque. */
function dtypeArg(what: string, v: PyValue | undefined): NumpyDtype | PyObject {
  if (v instanceof NumpyDtype || v instanceof PyObject) return v;
  fail(`${what}: expected a numpy.dtype, got ${typeName(v)}`);
}

/**
 * An array made by `_reconstruct(ndarray, (0,), b'b')`: numpy's empty int8 array of shape (0,),
 * which BUILD's `__setstate__` fills in place (the memo may already hold it).
 */
class BuildingArray extends NdArray {
  constructor(callable: PyGlobal, args: readonly PyValue[]) {
    super(NumpyDtype.of("int8"), [0], new Int8Array(0), { generation: callable.module === MODULES[1].multiarray ? 1 : 2 });
    this.#callable = callable;
    this.#args = args;
  }

  /** The call, for the opaque record (private fields: not part of the value). */
  readonly #callable: PyGlobal;
  readonly #args: readonly PyValue[];

  [SET_STATE](state: PyValue, ctx: BuildContext): void {
    const items = state instanceof PyTuple ? state.items : fail(`ndarray state must be a tuple, got ${typeName(state)}`);
    // (version, shape, dtype, is_fortran, raw), or the version-less 4-tuple of old pickles.
    if (items.length !== 5 && items.length !== 4) fail(`ndarray state: expected 5 items, got ${items.length}`);
    const [version, shapeV, dtypeV, fortranV, rawV] = items.length === 5 ? items : [1n, ...items];
    if (version !== 1n) fail(`ndarray state: unsupported version ${typeof version === "bigint" ? version : typeName(version)}`);
    const shape = shapeOf("ndarray state", shapeV);
    const dtype = dtypeArg("ndarray state", dtypeV);
    const fortran = flag("ndarray state is_fortran", fortranV);
    if (dtype instanceof PyObject) {
      if (!ctx.opaque) throw new NumpyUnsupportedError(`an ndarray of ${dtype.className} ${dtype.args[0] ?? ""} is not supported`);
      becomeOpaque(this, this.#callable, this.#args, state);
      return;
    }
    const raw = rawBytes("ndarray state", rawV);
    checkDataLength("ndarray state", shape, dtype.itemSize, raw.length);
    ctx.charge(raw.length);
    // The raw bytes are the pickle's own fresh copy: the array takes them over where alignment
    // allows (one allocation per array less; only a crafted pickle refers to them again).
    const data = dataFromBytes(dtype, raw, rawV instanceof Uint8Array && !(rawV instanceof PyBytearray));
    // numpy reads the raw data in Fortran order when is_fortran (for 0-d and 1-d arrays the same bytes).
    // At protocol 5 numpy uses this form only for an array it held as a strided view.
    Object.assign(this, { dtype, shape, data, order: fortran ? "F" : "C", strided: ctx.protocol >= 5 });
  }
}

function reconstruct(generation: NumpyGeneration): GlobalHandler {
  const self = new PyGlobal(MODULES[generation].multiarray, "_reconstruct");
  return {
    call(args, ctx) {
      if (args.length !== 3) fail(`_reconstruct() takes 3 arguments (${args.length} given)`);
      const [cls, shape, typecode] = args;
      if (!(cls instanceof PyGlobal)) fail(`_reconstruct: expected a subtype of numpy.ndarray, got ${typeName(cls)}`);
      if (cls.qualifiedName !== "numpy.ndarray") return unsupported(`the ndarray subclass ${cls.qualifiedName}`, ctx, self, args);
      // numpy writes exactly (0,) and b'b' (a str 'b' in Python 2 pickles).
      const dims = shapeOf("_reconstruct", shape);
      if (dims.length !== 1 || dims[0] !== 0) fail(`_reconstruct: expected the shape (0,), got (${dims.join(", ")})`);
      const code = typecode instanceof Uint8Array ? String.fromCharCode(...typecode) : typecode;
      if (code !== "b") fail(`_reconstruct: expected the type code b'b', got ${typeName(typecode)}`);
      return new BuildingArray(self, args);
    },
  };
}

/** `_frombuffer(buf, dtype, shape, order[, axis_order])`: frombuffer(buf).reshape(shape, order), or .transpose(axis_order) for 'K'. */
function frombuffer(generation: NumpyGeneration): GlobalHandler {
  const self = new PyGlobal(MODULES[generation].numeric, "_frombuffer");
  return {
    call(args, ctx) {
      if (args.length < 4 || args.length > 5) fail(`_frombuffer() takes 4 or 5 arguments (${args.length} given)`);
      const [buf, dtypeV, shapeV, orderV, axesV = null] = args;
      const dtype = dtypeArg("_frombuffer", dtypeV);
      if (dtype instanceof PyObject) return unsupported(`an ndarray of ${dtype.className} ${dtype.args[0] ?? ""}`, ctx, self, args);
      let bytes: Uint8Array;
      let readonly: boolean;
      if (buf instanceof PickleBuffer) {
        bytes = buf.data;
        readonly = buf.readonly;
      } else if (buf instanceof Uint8Array) {
        bytes = buf;
        readonly = !(buf instanceof PyBytearray);
      } else {
        fail(`_frombuffer: a bytes-like object is required, not '${typeName(buf)}'`);
      }
      if (dtype.itemSize === 0) fail("_frombuffer: itemsize cannot be zero in type");
      const shape = shapeOf("_frombuffer", shapeV);
      checkDataLength("_frombuffer", shape, dtype.itemSize, bytes.length);
      if (orderV !== "C" && orderV !== "F" && orderV !== "K")
        fail(`_frombuffer: order must be 'C', 'F' or 'K', got ${typeof orderV === "string" ? `'${orderV}'` : typeName(orderV)}`);
      ctx.charge(bytes.length);
      if (orderV === "K") {
        if (axesV === null) fail("_frombuffer: order 'K' is not permitted for reshaping");
        const axes = shapeOf("_frombuffer axis order", axesV);
        if (axes.length !== shape.length || new Set(axes).size !== axes.length || axes.some((a) => a >= shape.length)) fail("_frombuffer: axes don't match array");
        // The buffer is the C-order array of `shape`; the array is its transpose by `axes`, kept in C order.
        const memory = dataFromBytes(dtype, bytes, false);
        const data = transposed(memory, shape, axes, dtype.valuesPerItem);
        return new NdArray(
          dtype,
          axes.map((a) => shape[a]!),
          data,
          { axisOrder: axes, generation, readonly },
        );
      }
      if (axesV !== null) fail("_frombuffer: an axis order is only read with order 'K'");
      // numpy's frombuffer shares the buffer's memory, and so does the model where alignment allows.
      return new NdArray(dtype, shape, dataFromBytes(dtype, bytes, true), { order: orderV, generation, readonly });
    },
  };
}

function scalar(generation: NumpyGeneration): GlobalHandler {
  const self = new PyGlobal(MODULES[generation].multiarray, "scalar");
  return {
    call(args, ctx) {
      if (args.length < 1 || args.length > 2) fail(`scalar() takes 1 or 2 arguments (${args.length} given)`);
      const dtype = dtypeArg("scalar", args[0]);
      if (dtype instanceof PyObject) return unsupported(`a numpy scalar of ${dtype.className} ${dtype.args[0] ?? ""}`, ctx, self, args);
      const raw = rawBytes("scalar", args[1] ?? new Uint8Array(0));
      if (raw.length !== dtype.itemSize) fail(`scalar: initializing a ${dtype.name} scalar needs ${dtype.itemSize} bytes, got ${raw.length}`);
      ctx.charge(raw.length + 64);
      return scalarFromBytes(dtype, raw, generation);
    },
  };
}

/** `numpy.ndarray`: named as _reconstruct's first argument, never called here. */
const numpyNdarray: GlobalHandler = {};

/**
 * The numpy globals the reader interprets: both generations' reconstruction functions, dtype and
 * ndarray. On by default (DEFAULT_GLOBALS): nothing is called, and every size is checked first.
 */
export const NUMPY_GLOBALS: GlobalRegistry = new Map<string, GlobalHandler>([
  ["numpy.dtype", numpyDtype],
  ["numpy.ndarray", numpyNdarray],
  ...([1, 2] as const).flatMap((g): [string, GlobalHandler][] => [
    [`${MODULES[g].multiarray}._reconstruct`, reconstruct(g)],
    [`${MODULES[g].numeric}._frombuffer`, frombuffer(g)],
    [`${MODULES[g].multiarray}.scalar`, scalar(g)],
  ]),
]);
