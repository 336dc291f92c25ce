// The codec of each sample class that python/schema_samples.py pickles (by its "class" label).
import { T, type Codec } from "typed-pickle";
import * as catalog from "../generated/catalog.ts";
import * as connection from "../generated/connection.ts";
import * as user from "../generated/user.ts";

export const SAMPLE_CODECS: Record<string, Codec<unknown>> = {
  User: user.UserCodec,
  "User[]": T.list(user.UserCodec),
  Category: catalog.CategoryCodec,
  Everything: catalog.EverythingCodec,
  DatabaseConnection: connection.DatabaseConnectionCodec,
  SlotPoint: catalog.SlotPointCodec,
  Pair: catalog.PairCodec,
  Temperature: catalog.TemperatureCodec,
  Money: catalog.MoneyCodec,
  Series: catalog.SeriesCodec,
};
