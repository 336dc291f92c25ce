// numpy arrays and scalars as typed fields, with the Python classes in python/myapp/ml.py that
// they stand for. Arrays load into typed arrays ({ data, shape, order }); numpy scalars into plain
// numbers, bigints and booleans that are written back as the same numpy scalars.
import { field, type ndarray, type ndarrayBytes, type ndarrayStr, type np, pyclass } from "typed-pickle";

/** A trained model's parameters: `weights` any float64 array, `labels` int64. */
@pyclass("myapp.ml", "Model")
export class Model {
  @field() weights!: ndarray<Float64Array>;
  @field() labels!: ndarray<BigInt64Array>;
}

/** One array per dtype a typed field maps. */
@pyclass("myapp.ml", "Arrays")
export class Arrays {
  @field() flags!: ndarray<Uint8Array, "bool">;
  @field() i1!: ndarray<Int8Array>;
  @field() i2!: ndarray<Int16Array>;
  @field() i4!: ndarray<Int32Array>;
  @field() i8!: ndarray<BigInt64Array>;
  @field() u1!: ndarray<Uint8Array>;
  @field() u2!: ndarray<Uint16Array>;
  @field() u4!: ndarray<Uint32Array>;
  @field() u8!: ndarray<BigUint64Array>;
  @field() f2!: ndarray<Uint16Array, "float16">;
  @field() f4!: ndarray<Float32Array>;
  @field() f8!: np.ndarray<Float64Array, "float64">;
  @field() c8!: ndarray<Float32Array, "complex64">;
  @field() c16!: ndarray<Float64Array, "complex128">;
  @field() empty!: ndarray;
  @field() names!: ndarrayStr;
  @field() codes!: ndarrayBytes;
}

/** numpy scalars, as reductions like `a.mean()` and `a.argmax()` return them. */
@pyclass("myapp.ml", "Stats")
export class Stats {
  @field() mean!: np.float64;
  @field() f4!: np.float32;
  @field() f2!: np.float16;
  @field() count!: np.int64;
  @field() i4!: np.int32;
  @field() i2!: np.int16;
  @field() i1!: np.int8;
  @field() u8!: np.uint64;
  @field() u4!: np.uint32;
  @field() u2!: np.uint16;
  @field() u1!: np.uint8;
  @field() ok!: np.bool_;
  @field() no!: np.bool_;
}
