// A dict served by a Python manager, through a DictProxy-style proxy (registered with DictProxy, or
// any exposed list with these methods). Keys and values are written and read by their codecs when
// given, else as the value model (read with the strict allowlist).
import type { PyValue } from "../../model/value.ts";
import { type Codec, any, list, optional, tuple } from "../../typed/codec.ts";
import { typed } from "../typed-argument.ts";
import type { RemoteProxy } from "./remote-proxy.ts";

export class SharedDict<K = PyValue, V = PyValue> {
  private readonly key: Codec<K>;
  private readonly value: Codec<V>;
  // Composed once: the reply allowlists are cached per codec.
  private readonly valueOrNone: Codec<V | null>;
  private readonly keyList: Codec<K[]>;
  private readonly itemList: Codec<[K, V][]>;

  constructor(
    readonly proxy: RemoteProxy,
    key?: Codec<K>,
    value?: Codec<V>,
  ) {
    // Without a codec, `any` keeps what the strict reader made.
    this.key = key ?? (any as Codec<K>);
    this.value = value ?? (any as Codec<V>);
    this.valueOrNone = optional(this.value);
    this.keyList = list(this.key);
    this.itemList = list(tuple<[K, V]>(this.key, this.value));
  }

  /** `d[key]`: rejects with a RemoteError for builtins.KeyError when the key is missing. */
  getItem(key: K): Promise<V> {
    return this.proxy.call("__getitem__", [typed(this.key, key)], {}, { result: this.value });
  }

  /** `d.get(key)`: the value, or null when the key is missing. */
  get(key: K): Promise<V | null> {
    return this.proxy.call("get", [typed(this.key, key)], {}, { result: this.valueOrNone });
  }

  /** `d[key] = value`. */
  async set(key: K, value: V): Promise<void> {
    await this.proxy.call("__setitem__", [typed(this.key, key), typed(this.value, value)]);
  }

  /** `del d[key]`: rejects with a RemoteError for builtins.KeyError when the key is missing. */
  async delete(key: K): Promise<void> {
    await this.proxy.call("__delitem__", [typed(this.key, key)]);
  }

  /** `key in d`. */
  async has(key: K): Promise<boolean> {
    return (await this.proxy.call("__contains__", [typed(this.key, key)])) === true;
  }

  /** `len(d)`. */
  async size(): Promise<number> {
    return Number(await this.proxy.call("__len__"));
  }

  /** `list(d.keys())` (the server sends dict views as lists). */
  keys(): Promise<K[]> {
    return this.proxy.call("keys", [], {}, { result: this.keyList });
  }

  /** `list(d.items())`. */
  items(): Promise<[K, V][]> {
    return this.proxy.call("items", [], {}, { result: this.itemList });
  }

  close(): Promise<void> {
    return this.proxy.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
