// An array's elements between numpy's bytes (in the dtype's byte order) and the host-order typed
// array of the model, and the one data movement numpy's 'K' order needs: a transposition.
import type { NdArrayData, NumpyDtype } from "./ndarray.ts";

/** Bytes of one data value (a complex number's part, a str's code point). */
function valueBytes(dtype: NumpyDtype): number {
  return dtype.dataClass.BYTES_PER_ELEMENT;
}

/** Reverses each `width`-byte group of `bytes` in place. */
function swapInPlace(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * The typed array for `count` elements of `dtype` from numpy's `bytes` (length already checked).
 * `share`: a view of `bytes` when its alignment and byte order allow (as numpy's frombuffer shares
 * memory), else a copy.
 */
export function dataFromBytes(dtype: NumpyDtype, bytes: Uint8Array, share: boolean): NdArrayData {
  const Data = dtype.dataClass;
  const width = valueBytes(dtype);
  const values = bytes.length / width;
  if (share && !dtype.swapped && bytes.byteOffset % width === 0) return new Data(bytes.buffer as ArrayBuffer, bytes.byteOffset, values);
  const data = new Data(values);
  const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(bytes);
  if (dtype.swapped) swapInPlace(out, width);
  return data;
}

/** numpy's bytes of `data` (the dtype's byte order): a view when no swap is needed, else a swapped copy. */
export function bytesOfData(dtype: NumpyDtype, data: NdArrayData): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (!dtype.swapped) return view;
  const copy = view.slice();
  swapInPlace(copy, valueBytes(dtype));
  return copy;
}

/**
 * `data` (C order, `shape`, `perItem` values per element) transposed by `axes`: the C-order data of
 * shape `axes.map(a => shape[a])`, whose element [i0, i1, …] is the source's element with index
 * `source[axes[k]] = i_k`, as numpy's `transpose(axes)`.
 */
export function transposed(data: NdArrayData, shape: readonly number[], axes: readonly number[], perItem: number): NdArrayData {
  const n = shape.length;
  const out = new (data.constructor as new (length: number) => NdArrayData)(data.length);
  if (data.length === 0) return out;
  const sourceStrides = new Array<number>(n);
  let stride = perItem;
  for (let k = n - 1; k >= 0; k--) {
    sourceStrides[k] = stride;
    stride *= shape[k]!;
  }
  const outShape = axes.map((a) => shape[a]!);
  const outStrides = axes.map((a) => sourceStrides[a]!);
  const index = new Array<number>(n).fill(0);
  let from = 0;
  const items = data.length / perItem;
  for (let done = 0; done < items; done++) {
    const to = done * perItem;
    for (let v = 0; v < perItem; v++) (out as Float64Array)[to + v] = (data as Float64Array)[from + v]!;
    // The next index in C order: carry from the last axis.
    for (let k = n - 1; k >= 0; k--) {
      if (++index[k]! < outShape[k]!) {
        from += outStrides[k]!;
        break;
      }
      from -= outStrides[k]! * (outShape[k]! - 1);
      index[k] = 0;
    }
  }
  return out;
}

/** The inverse permutation: `inverse(p)[p[i]] = i`. */
export function inversePermutation(p: readonly number[]): number[] {
  const out = new Array<number>(p.length);
  for (let i = 0; i < p.length; i++) out[p[i]!] = i;
  return out;
}
