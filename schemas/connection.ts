// Python's textbook __getstate__ / __setstate__ example: a connection that is not pickled, only the
// string that opens it; loading reconnects. Here the live connection is a transient member (no
// @field) and @afterLoad rebuilds it.
import { afterLoad, field, pyclass, type datetime } from "typed-pickle";

/** Stands in for a live database handle: something no pickle should carry. */
export class LiveConnection {
  constructor(readonly target: string) {}
  query(sql: string): string {
    return `${this.target}: ${sql}`;
  }
}

@pyclass("myapp.db", "DatabaseConnection")
export class DatabaseConnection {
  @field({ name: "connection_string" }) connectionString!: string;
  @field({ name: "last_accessed" }) lastAccessed!: datetime;
  connection: LiveConnection | null = null; // transient: dropped when pickled

  @afterLoad()
  reconnect(): void {
    this.connection = new LiveConnection(this.connectionString);
  }
}
