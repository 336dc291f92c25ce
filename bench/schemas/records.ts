// The records workload's classes (bench/bench_models.py), as a schema: the generated typed codec is
// what the benchmark measures for records.
import { field, pyclass, type datetime, type float, type int } from "typed-pickle";

@pyclass("bench_models", "Address")
export class Address {
  @field() street!: string;
  @field() city!: string;
  @field() zip!: string;
}

@pyclass("bench_models", "User")
export class User {
  @field() name!: string;
  @field() age!: int;
  @field() score!: float;
  @field() active!: boolean;
  @field() tags!: string[];
  @field() created!: datetime;
  @field({ name: "parent_id" }) parentId!: int | null;
  @field() address!: Address;
}
