// The names a generated module takes from "typed-pickle", recorded as the emitter uses them: the
// import line lists exactly what the module's text refers to, with no list to keep in step.
export class RuntimeImports {
  private readonly values = new Set<string>();
  private readonly types = new Set<string>();

  /** A runtime value (function, class, namespace) the module uses: its name. */
  value(name: string): string {
    this.values.add(name);
    return name;
  }
  /** A runtime type the module uses: its name. */
  type(name: string): string {
    this.types.add(name);
    return name;
  }
  /** The import specifiers, types first, each group sorted (stable output). */
  specifiers(): string[] {
    return [...[...this.types].sort().map((n) => `type ${n}`), ...[...this.values].sort()];
  }
}
