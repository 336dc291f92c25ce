// Reads schema files with ts-morph: @pyclass classes, @field properties with their *written* types
// (an `int` alias is not a `number` here), @afterLoad methods and pyenum() declarations. Decorators
// and type aliases are recognised by the declaration they resolve to (package-symbols.ts), so renamed
// and namespace imports count, and so do the .d.ts files of an installed package.
import { relative } from "node:path";
import { type ClassDeclaration, type Decorator, type EnumDeclaration, Node, type Project, type SourceFile, SyntaxKind, type TypeNode } from "ts-morph";
import type { StateForm } from "../../runtime/typed/decorators.ts";
import { type Code, type Diagnostic, at } from "../diagnostics.ts";
import type { ClassModel, EnumModel, FieldModel, SchemaFileModel, TypeModel } from "./model.ts";
import { numpyKind } from "./numpy-kinds.ts";
import { declarationOf, isDecoratorsModule, isModelModule, isNumpyTypesModule, runtimeModuleOf, runtimeName } from "./package-symbols.ts";

const STATE_FORMS = new Set<StateForm>(["dict", "slots", "tuple", "args", "reduce", "pydantic"]);
const STATE_CHOICES = [...STATE_FORMS].map((s) => `"${s}"`).join(" | ");

const ALIAS_KINDS: Record<string, TypeModel["kind"]> = {
  int: "int",
  float: "float",
  bytes: "bytes",
  bytearray: "bytearray",
  datetime: "datetime",
  date: "date",
  time: "time",
  timedelta: "timedelta",
  Decimal: "decimal",
  UUID: "uuid",
  Any: "any",
};
const MODEL_KINDS: Record<string, TypeModel["kind"]> = {
  PyDateTime: "datetime",
  PyDate: "date",
  PyTime: "time",
  PyTimeDelta: "timedelta",
  PyDecimal: "decimal",
  PyUUID: "uuid",
  PyBytearray: "bytearray",
};

/** Whether a decorator (or call) is typed-pickle's `name`, however it was imported. */
function isFromDecorators(node: Node | undefined, name: string): boolean {
  return node !== undefined && runtimeName(node, isDecoratorsModule) === name;
}

/** The decorator's callee, or undefined for a decorator that is not a call (`@sealed`). */
const calleeOf = (d: Decorator) => d.getCallExpression()?.getExpression();

function isLibDeclaration(decl: Node): boolean {
  const path = decl.getSourceFile().getFilePath();
  return /\/typescript\/lib\/lib\.[^/]*\.d\.ts$/.test(path) || /\/@types\/node\//.test(path);
}

/** An expression with `as …`, `satisfies …`, `!` and parentheses taken off (they change no value). */
function unwrapped(node: Node): Node {
  let n = node;
  while (Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n) || Node.isTypeAssertion(n))
    n = n.getExpression();
  return n;
}

/** A string literal's value ("x" or `x`), or undefined for anything computed. */
function stringLiteral(node: Node | undefined): string | undefined {
  const n = node && unwrapped(node);
  return n && (Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n)) ? n.getLiteralValue() : undefined;
}

/** Where a plain `number` was written inside a field's type: the enclosing type node, if any. */
interface NumberPlace {
  node: TypeNode;
  container?: TypeNode;
  position?: number;
}

/** TP104's message: one per field, naming every place `number` was written. */
function numberMessage(fieldName: string, places: NumberPlace[]): string {
  const groups = new Map<TypeNode | undefined, NumberPlace[]>();
  for (const p of places) groups.set(p.container, [...(groups.get(p.container) ?? []), p]);
  const where = [...groups].map(([container, ps]) => {
    if (!container) return "";
    const text = container.getText().replace(/\s+/g, " ");
    if (!Node.isTupleTypeNode(container)) return ` in ${text}`;
    const positions = ps.map((p) => p.position).join(", ");
    return ` at tuple${text} position${ps.length > 1 ? "s" : ""} ${positions}`;
  });
  return `field '${fieldName}' has type 'number'${where.join(" and")}; use int or float`;
}

export interface ReadResult {
  files: SchemaFileModel[];
  diagnostics: Diagnostic[];
  /** How many @pyclass classes and pyenum() declarations the schemas hold (none: nothing to generate). */
  found: { classes: number; enums: number };
}

type Report = (node: Node, code: Code, message: string) => void;

/**
 * A read-only list type: the codec writes what a list field holds and loads a fresh mutable array,
 * so the generated code (which passes the field to the list codec) would not compile.
 */
function readonlyMessage(fieldName: string, node: TypeNode): string {
  return `field '${fieldName}' has type '${node.getText()}'; a Python list loads as a new mutable array, so declare it as an array type (T[])`;
}

/**
 * The state form from @pyclass's options, written out as `{ state: "slots" }`. A value the generator
 * cannot read (a variable, a spread, a shorthand) is TP101 naming the option; an option or state
 * that does not exist is TP107.
 */
function stateOption(options: Node, report: Report): StateForm {
  const written = unwrapped(options);
  if (!Node.isObjectLiteralExpression(written)) {
    report(options, "TP101", `@pyclass options must be written out as an object literal, such as { state: "slots" }; '${options.getText()}' is not one`);
    return "dict";
  }
  let state: StateForm = "dict";
  for (const prop of written.getProperties()) {
    if (!Node.isPropertyAssignment(prop)) {
      report(prop, "TP101", `@pyclass option '${prop.getText()}' must be written as name: "literal", such as state: "slots"`);
      continue;
    }
    const key = prop.getName();
    if (key !== "state") {
      report(prop, "TP107", `unknown @pyclass option '${key}'; the one option is state: ${STATE_CHOICES}`);
      continue;
    }
    const value = stringLiteral(prop.getInitializer());
    if (value === undefined) report(prop, "TP101", `@pyclass option 'state' must be a string literal (${STATE_CHOICES}), not '${prop.getInitializerOrThrow().getText()}'`);
    else if (!STATE_FORMS.has(value as StateForm)) report(prop, "TP107", `unknown state "${value}" in @pyclass options; state is one of ${STATE_CHOICES}`);
    else state = value as StateForm;
  }
  return state;
}

export function readSchemas(_project: Project, sources: SourceFile[], root: string): ReadResult {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (node, code, message) => diagnostics.push(at(node, code, message, root));
  const rel = (file: SourceFile) => relative(root, file.getFilePath()).split("\\").join("/");

  // pyenum(Enum, "module", "Name") calls, in every schema file first: fields of other files use them.
  const enums = new Map<EnumDeclaration, EnumModel & { file: SourceFile }>();
  for (const source of sources) {
    for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (!isFromDecorators(call.getExpression(), "pyenum")) continue;
      const [target, moduleArg, qualnameArg] = call.getArguments();
      const decl = target && declarationOf(target);
      const module = stringLiteral(moduleArg);
      const qualname = stringLiteral(qualnameArg);
      if (!decl || !Node.isEnumDeclaration(decl) || module === undefined || qualname === undefined) {
        report(call, "TP114", 'pyenum() takes a TypeScript enum and two string literals: pyenum(Color, "module", "Color")');
        continue;
      }
      for (const member of decl.getMembers()) {
        const init = member.getInitializer();
        const literal = init && (Node.isStringLiteral(init) || Node.isNumericLiteral(init) || (Node.isPrefixUnaryExpression(init) && Node.isNumericLiteral(init.getOperand())));
        if (!literal) report(member, "TP109", `enum member '${member.getName()}' needs a string or number literal value (the Python member's value)`);
      }
      enums.set(decl, { name: decl.getName(), module, qualname, file: decl.getSourceFile() });
    }
  }

  const classDecorator = (cls: ClassDeclaration) => cls.getDecorators().find((d) => isFromDecorators(calleeOf(d), "pyclass"));

  /**
   * A field's written type as the mapping table names it; undefined after reporting why not. A plain
   * `number` is not reported here but collected in `numbers` (TP104 comes once per field).
   */
  const mapType = (node: TypeNode, fieldName: string, numbers: NumberPlace[], within: Omit<NumberPlace, "node"> = {}): TypeModel | undefined => {
    const fail = (code: Code, message: string) => (report(node, code, message), undefined);
    const inside = (item: TypeNode, position?: number) => mapType(item, fieldName, numbers, position === undefined ? { container: node } : { container: node, position });
    if (Node.isParenthesizedTypeNode(node)) return mapType(node.getTypeNode(), fieldName, numbers, within);
    if (Node.isUnionTypeNode(node)) {
      const parts = node.getTypeNodes();
      const isNull = (t: TypeNode) => Node.isLiteralTypeNode(t) && t.getLiteral().getKind() === SyntaxKind.NullKeyword;
      const rest = parts.filter((t) => !isNull(t));
      if (rest.length === 1 && rest.length < parts.length) {
        // `T | null` is T where it was written (a number inside is placed at the union's place).
        const item = mapType(rest[0]!, fieldName, numbers, within);
        return item && { kind: "optional", item };
      }
      return fail("TP110", `field '${fieldName}' has type '${node.getText()}'; only T | null (Optional) unions are supported`);
    }
    if (Node.isTypeOperatorTypeNode(node) && node.getOperator() === SyntaxKind.ReadonlyKeyword) return fail("TP102", readonlyMessage(fieldName, node));
    if (Node.isArrayTypeNode(node)) {
      const item = inside(node.getElementTypeNode());
      return item && { kind: "list", item };
    }
    if (Node.isTupleTypeNode(node)) {
      const items = node.getElements().map((e, i) => inside(Node.isNamedTupleMember(e) ? e.getTypeNode() : e, i));
      return items.every((i) => i) ? { kind: "tuple", items: items as TypeModel[] } : undefined;
    }
    switch (node.getKind()) {
      case SyntaxKind.StringKeyword:
        return { kind: "str" };
      case SyntaxKind.BooleanKeyword:
        return { kind: "bool" };
      case SyntaxKind.BigIntKeyword:
        return { kind: "bigint" };
      case SyntaxKind.NumberKeyword:
        numbers.push({ node, ...within });
        return undefined;
    }
    if (!Node.isTypeReference(node)) return fail("TP102", `field '${fieldName}' has type '${node.getText()}', which has no Python counterpart`);
    const typeName = node.getTypeName();
    const args = node.getTypeArguments();
    const decl = declarationOf(typeName);
    const name = typeName.getText().split(".").pop()!;
    const declName = (decl as (Node & { getName?: () => string }) | undefined)?.getName?.() ?? name;
    const runtimeModule = decl && runtimeModuleOf(decl);
    if (runtimeModule !== undefined && isDecoratorsModule(runtimeModule)) {
      if (declName === "frozenset") {
        const item = args[0] && inside(args[0]);
        return item && { kind: "frozenset", item };
      }
      const kind = ALIAS_KINDS[declName];
      if (kind) return { kind } as TypeModel;
    }
    if (runtimeModule !== undefined && isNumpyTypesModule(runtimeModule)) {
      // ndarray<Float64Array>, ndarray<Uint8Array, "bool">, np.float64: the typed array by its written name.
      const [arrayArg, dtypeArg] = args;
      const arrayType = arrayArg && Node.isTypeReference(arrayArg) ? arrayArg.getTypeName().getText() : arrayArg?.getText();
      const dtype = dtypeArg && Node.isLiteralTypeNode(dtypeArg) ? stringLiteral(dtypeArg.getLiteral()) : dtypeArg?.getText();
      const numpy = numpyKind(declName, arrayType, dtype);
      return "kind" in numpy ? { kind: numpy.kind } : fail("TP102", `field '${fieldName}' has type '${node.getText()}': ${numpy.error}`);
    }
    if (runtimeModule !== undefined && isModelModule(runtimeModule)) {
      if (declName === "PyFrozenSet") {
        const item = args[0] && inside(args[0]);
        return item && { kind: "frozenset", item };
      }
      const kind = MODEL_KINDS[declName];
      if (kind) return { kind } as TypeModel;
    }
    if (decl && isLibDeclaration(decl)) {
      const map = (i: number) => {
        const arg = args[i];
        return arg ? inside(arg) : undefined;
      };
      switch (declName) {
        case "Array": {
          const item = map(0);
          return item && { kind: "list", item };
        }
        case "ReadonlyArray":
          return fail("TP102", readonlyMessage(fieldName, node));
        case "Set": {
          const item = map(0);
          return item && { kind: "set", item };
        }
        case "Map": {
          const key = map(0);
          const value = map(1);
          return key && value && { kind: "dict", key, value };
        }
        case "Record": {
          if (args[0]?.getKind() !== SyntaxKind.StringKeyword) return fail("TP102", `field '${fieldName}': Record keys must be string (use Map<K, V> for other keys)`);
          const value = map(1);
          return value && { kind: "record", value };
        }
        case "Uint8Array":
          return { kind: "bytes" };
        case "Float64Array":
          return { kind: "float64Array" };
        case "Date":
          return fail("TP106", `field '${fieldName}' has type 'Date', which holds milliseconds only; use datetime (microseconds, tzinfo, fold)`);
      }
    }
    if (decl && Node.isClassDeclaration(decl)) {
      if (!classDecorator(decl)) return fail("TP111", `field '${fieldName}' has class type '${name}', which is not a @pyclass`);
      return { kind: "class", name: decl.getNameOrThrow(), file: rel(decl.getSourceFile()) };
    }
    if (decl && Node.isEnumDeclaration(decl)) {
      const e = enums.get(decl);
      if (!e) return fail("TP102", `field '${fieldName}' has enum type '${name}', which is not declared with pyenum(${name}, "module", "${name}")`);
      return { kind: "enum", name: e.name, file: rel(e.file) };
    }
    if (decl && Node.isTypeAliasDeclaration(decl)) {
      const aliased = decl.getTypeNode();
      if (aliased) return mapType(aliased, fieldName, numbers, within);
    }
    return fail("TP102", `field '${fieldName}' has type '${node.getText()}', which has no Python counterpart`);
  };

  /** Identifiers an initializer uses from its own file must be exported (the generated module imports them). */
  const initializerText = (init: Node, file: SourceFile, imports: Set<string>): string | undefined => {
    for (const id of [init, ...init.getDescendants()].filter(Node.isIdentifier)) {
      const symbol = id.getSymbol();
      const decl = symbol?.getDeclarations()[0];
      if (!decl) continue;
      if (Node.isImportSpecifier(decl) || Node.isImportClause(decl) || Node.isNamespaceImport(decl)) {
        const target = declarationOf(id);
        if (target && isLibDeclaration(target)) continue;
        report(
          id,
          "TP113",
          `the initializer uses '${id.getText()}', imported into the schema file; the generated code cannot reach it (use a literal, or declare it in this file and export it)`,
        );
        return undefined;
      }
      if (decl.getSourceFile() !== file || decl.getParent() === undefined) continue;
      const top = decl.getParentWhile((p) => !Node.isSourceFile(p)) ?? decl;
      if (!Node.isSourceFile(top.getParent())) continue; // a local name inside the initializer
      const exported = Node.isExportable(top) ? top.isExported() : Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.isExported();
      if (!exported) {
        report(id, "TP113", `the initializer uses '${id.getText()}', which ${rel(file)} does not export`);
        return undefined;
      }
      imports.add(id.getText());
    }
    return init.getText();
  };

  const files: SchemaFileModel[] = [];
  let classesFound = 0;
  for (const source of sources) {
    const imports = new Set<string>();
    const model: SchemaFileModel = { path: rel(source), absolutePath: source.getFilePath(), classes: [], enums: [], imports };
    for (const [decl, e] of enums) {
      if (e.file !== source) continue;
      if (!decl.isExported()) report(decl, "TP113", `enum ${e.name} must be exported (the generated module imports it)`);
      model.enums.push({ name: e.name, module: e.module, qualname: e.qualname });
    }
    for (const cls of source.getClasses()) {
      const decorator = classDecorator(cls);
      if (!decorator) {
        for (const p of cls.getProperties()) {
          if (p.getDecorators().some((d) => isFromDecorators(calleeOf(d), "field"))) {
            report(p, "TP111", `@field on a property of '${cls.getName()}', which is not a @pyclass`);
          }
        }
        continue;
      }
      classesFound++;
      const [moduleArg, qualnameArg, options] = decorator.getArguments();
      const module = stringLiteral(moduleArg);
      const qualname = stringLiteral(qualnameArg);
      if (module === undefined || qualname === undefined) {
        report(decorator, "TP101", '@pyclass takes the Python module and class name as string literals: @pyclass("myapp.models", "User")');
        continue;
      }
      const state = options ? stateOption(options, report) : "dict";
      const classModel: ClassModel = { name: cls.getNameOrThrow(), module, qualname, state, fields: [], transients: [] };
      const pyNames = new Map<string, Node>();
      for (const member of cls.getMembers()) {
        const fieldDecorator = Node.isDecoratable(member) ? member.getDecorators().find((d) => isFromDecorators(calleeOf(d), "field")) : undefined;
        const loadDecorator = Node.isDecoratable(member) ? member.getDecorators().find((d) => isFromDecorators(calleeOf(d), "afterLoad")) : undefined;
        if (loadDecorator) {
          if (!Node.isMethodDeclaration(member) || member.getParameters().length > 0 || classModel.afterLoad) {
            report(loadDecorator, "TP108", "@afterLoad must decorate one method without parameters");
          } else classModel.afterLoad = member.getName();
        }
        if (!fieldDecorator) {
          if (Node.isPropertyDeclaration(member) && !member.isStatic()) {
            const init = member.getInitializer();
            if (init) {
              const text = initializerText(init, source, imports);
              if (text !== undefined) classModel.transients.push({ name: member.getName(), initializer: text });
            }
          }
          continue;
        }
        if (!Node.isPropertyDeclaration(member) || member.isStatic()) {
          report(fieldDecorator, "TP103", "@field must decorate an instance property");
          continue;
        }
        const tsName = member.getName();
        let pyName = tsName;
        const [fieldOptions] = fieldDecorator.getArguments();
        if (fieldOptions) {
          const written = unwrapped(fieldOptions);
          const nameProp = Node.isObjectLiteralExpression(written) ? written.getProperty("name") : undefined;
          const name = nameProp && Node.isPropertyAssignment(nameProp) ? stringLiteral(nameProp.getInitializer()) : undefined;
          if (name === undefined) {
            report(fieldOptions, "TP101", '@field options are { name: "python_name" } with a string literal');
            continue;
          }
          pyName = name;
        }
        if (pyNames.has(pyName)) {
          report(member, "TP105", `field '${tsName}' has Python name '${pyName}', as another field of ${classModel.name} does`);
          continue;
        }
        pyNames.set(pyName, member);
        const typeNode = member.getTypeNode();
        if (!typeNode) {
          report(member, "TP102", `field '${tsName}' needs a written type (the generator maps written types, not inferred ones)`);
          continue;
        }
        const numbers: NumberPlace[] = [];
        const type = mapType(typeNode, tsName, numbers);
        if (numbers.length > 0) report(numbers[0]!.node, "TP104", numberMessage(tsName, numbers));
        if (!type) continue;
        const optional = member.hasQuestionToken();
        const init = member.getInitializer();
        let initializer: string | undefined;
        if (init) {
          initializer = initializerText(init, source, imports);
          if (initializer === undefined) continue;
        }
        if ((state === "args" || state === "reduce" || state === "tuple") && optional) {
          report(member, "TP112", `field '${tsName}' is optional, but state "${state}" has a fixed number of positions`);
          continue;
        }
        classModel.fields.push({ tsName, pyName, type, optional, ...(initializer !== undefined && { initializer }) } satisfies FieldModel);
      }
      if (!cls.isExported()) report(cls, "TP113", `class ${classModel.name} must be exported (the generated module imports it)`);
      model.classes.push(classModel);
    }
    files.push(model);
  }
  return { files, diagnostics, found: { classes: classesFound, enums: enums.size } };
}
