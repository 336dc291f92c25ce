// The README's walkthrough: a user and an address, as a Python service's models define them.
import { field, pyclass, type datetime, type float, type int } from "typed-pickle";

@pyclass("myapp.models", "Address")
export class Address {
  @field() street!: string;
  @field({ name: "zip_code" }) zip!: string; // Python attribute zip_code
}

@pyclass("myapp.models", "User")
export class User {
  @field() name!: string;
  @field() age!: int;
  @field() score: float = 0; // default when an older pickle lacks it
  @field() hobbies: string[] = [];
  @field({ name: "is_active" }) isActive!: boolean;
  @field() address!: Address | null;
  @field() created!: datetime;
  cache = new Map<string, unknown>(); // no @field: transient, never pickled
}
