// Reads schema files with ts-morph: @pyclass classes, @field properties with their *written* types
// (an `int` alias is not a `number` here), @afterLoad methods and pyenum() declarations. Decorators
// and type aliases are recognised by the symbol they resolve to, so a renamed import still counts.
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ClassDeclaration, type EnumDeclaration, Node, type Project, type SourceFile, SyntaxKind, type TypeNode } from "ts-morph";
import type { StateForm } from "../../runtime/typed/decorators.ts";
import { type Code, type Diagnostic, at } from "../diagnostics.ts";
import type { ClassModel, EnumModel, FieldModel, SchemaFileModel, TypeModel } from "./model.ts";

const RUNTIME = resolve(dirname(fileURLToPath(import.meta.url)), "../../runtime");
const DECORATORS_FILE = resolve(RUNTIME, "typed/decorators.ts");
const STATE_FORMS = new Set<StateForm>(["dict", "slots", "tuple", "args", "reduce"]);

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

/** The declaration a name resolves to, through imports and re-exports. */
function declarationOf(node: Node): Node | undefined {
  const symbol = node.getSymbol();
  if (!symbol) return undefined;
  const target = symbol.getAliasedSymbol() ?? symbol;
  return target.getDeclarations()[0];
}

/** For a name that resolves into the runtime: which runtime name ("pyclass", "int", …). */
function runtimeName(node: Node): string | undefined {
  const decl = declarationOf(node);
  if (!decl) return undefined;
  const file = resolve(decl.getSourceFile().getFilePath());
  if (!file.startsWith(RUNTIME)) return undefined;
  return (decl as Node & { getName?: () => string }).getName?.();
}

function isFromDecorators(node: Node, name: string): boolean {
  const decl = declarationOf(node);
  return !!decl && resolve(decl.getSourceFile().getFilePath()) === DECORATORS_FILE && runtimeName(node) === name;
}

function isLibDeclaration(decl: Node): boolean {
  const path = decl.getSourceFile().getFilePath();
  return /\/typescript\/lib\/lib\.[^/]*\.d\.ts$/.test(path) || /\/@types\/node\//.test(path);
}

export interface ReadResult {
  files: SchemaFileModel[];
  diagnostics: Diagnostic[];
}

export function readSchemas(project: Project, sources: SourceFile[], root: string): ReadResult {
  const diagnostics: Diagnostic[] = [];
  const report = (node: Node, code: Code, message: string) => diagnostics.push(at(node, code, message, root));
  const rel = (file: SourceFile) => relative(root, file.getFilePath()).split("\\").join("/");

  // pyenum(Enum, "module", "Name") calls, in every schema file first: fields of other files use them.
  const enums = new Map<EnumDeclaration, EnumModel & { file: SourceFile }>();
  for (const source of sources) {
    for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (!isFromDecorators(call.getExpression(), "pyenum")) continue;
      const [target, module, qualname] = call.getArguments();
      const decl = target && declarationOf(target);
      if (!decl || !Node.isEnumDeclaration(decl) || !Node.isStringLiteral(module) || !Node.isStringLiteral(qualname)) {
        report(call, "TP114", "pyenum() takes a TypeScript enum and two string literals: pyenum(Color, \"module\", \"Color\")");
        continue;
      }
      for (const member of decl.getMembers()) {
        const init = member.getInitializer();
        const literal = init && (Node.isStringLiteral(init) || Node.isNumericLiteral(init) || (Node.isPrefixUnaryExpression(init) && Node.isNumericLiteral(init.getOperand())));
        if (!literal) report(member, "TP109", `enum member '${member.getName()}' needs a string or number literal value (the Python member's value)`);
      }
      enums.set(decl, { name: decl.getName(), module: module.getLiteralValue(), qualname: qualname.getLiteralValue(), file: decl.getSourceFile() });
    }
  }

  const classDecorator = (cls: ClassDeclaration) => cls.getDecorators().find((d) => isFromDecorators(d.getCallExpressionOrThrow().getExpression(), "pyclass"));

  const mapType = (node: TypeNode, context: Node, fieldName: string): TypeModel | undefined => {
    const fail = (code: Code, message: string) => (report(node, code, message), undefined);
    if (Node.isParenthesizedTypeNode(node)) return mapType(node.getTypeNode(), context, fieldName);
    if (Node.isUnionTypeNode(node)) {
      const parts = node.getTypeNodes();
      const isNull = (t: TypeNode) => Node.isLiteralTypeNode(t) && t.getLiteral().getKind() === SyntaxKind.NullKeyword;
      const rest = parts.filter((t) => !isNull(t));
      if (rest.length === 1 && rest.length < parts.length) {
        const item = mapType(rest[0]!, context, fieldName);
        return item && { kind: "optional", item };
      }
      return fail("TP110", `field '${fieldName}' has type '${node.getText()}'; only T | null (Optional) unions are supported`);
    }
    if (Node.isArrayTypeNode(node)) {
      const item = mapType(node.getElementTypeNode(), context, fieldName);
      return item && { kind: "list", item };
    }
    if (Node.isTupleTypeNode(node)) {
      const items = node.getElements().map((e) => mapType(Node.isNamedTupleMember(e) ? e.getTypeNode() : e, context, fieldName));
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
        return fail("TP104", `field '${fieldName}' has type 'number'; use int or float`);
    }
    if (!Node.isTypeReference(node)) return fail("TP102", `field '${fieldName}' has type '${node.getText()}', which has no Python counterpart`);
    const typeName = node.getTypeName();
    const args = node.getTypeArguments();
    const decl = declarationOf(typeName);
    const name = typeName.getText().split(".").pop()!;
    const declName = (decl as Node & { getName?: () => string } | undefined)?.getName?.() ?? name;
    if (decl && resolve(decl.getSourceFile().getFilePath()) === DECORATORS_FILE) {
      if (declName === "frozenset") {
        const item = args[0] && mapType(args[0], context, fieldName);
        return item && { kind: "frozenset", item };
      }
      const kind = ALIAS_KINDS[declName];
      if (kind) return { kind } as TypeModel;
    }
    if (decl && resolve(decl.getSourceFile().getFilePath()).startsWith(resolve(RUNTIME, "model"))) {
      if (declName === "PyFrozenSet") {
        const item = args[0] && mapType(args[0], context, fieldName);
        return item && { kind: "frozenset", item };
      }
      const kind = MODEL_KINDS[declName];
      if (kind) return { kind } as TypeModel;
    }
    if (decl && isLibDeclaration(decl)) {
      const map = (i: number) => (args[i] ? mapType(args[i]!, context, fieldName) : undefined);
      switch (declName) {
        case "Array":
        case "ReadonlyArray": {
          const item = map(0);
          return item && { kind: "list", item };
        }
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
          return { kind: "float64array" };
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
      if (aliased) return mapType(aliased, context, fieldName);
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
        report(id, "TP113", `the initializer uses '${id.getText()}', imported into the schema file; the generated code cannot reach it (use a literal, or declare it in this file and export it)`);
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
          if (p.getDecorators().some((d) => isFromDecorators(d.getCallExpressionOrThrow().getExpression(), "field"))) {
            report(p, "TP111", `@field on a property of '${cls.getName()}', which is not a @pyclass`);
          }
        }
        continue;
      }
      const [module, qualname, options] = decorator.getArguments();
      if (!module || !qualname || !Node.isStringLiteral(module) || !Node.isStringLiteral(qualname)) {
        report(decorator, "TP101", "@pyclass takes the Python module and class name as string literals: @pyclass(\"myapp.models\", \"User\")");
        continue;
      }
      let state: StateForm = "dict";
      if (options) {
        if (!Node.isObjectLiteralExpression(options)) report(options, "TP107", "@pyclass options must be an object literal such as { state: \"slots\" }");
        else
          for (const prop of options.getProperties()) {
            const init = Node.isPropertyAssignment(prop) ? prop.getInitializer() : undefined;
            const key = Node.isPropertyAssignment(prop) ? prop.getName() : prop.getText();
            if (key !== "state" || !init || !Node.isStringLiteral(init) || !STATE_FORMS.has(init.getLiteralValue() as StateForm)) {
              report(prop, "TP107", `unknown @pyclass option '${prop.getText()}'; the one option is state: "dict" | "slots" | "tuple" | "args" | "reduce"`);
            } else state = init.getLiteralValue() as StateForm;
          }
      }
      const classModel: ClassModel = { name: cls.getNameOrThrow(), module: module.getLiteralValue(), qualname: qualname.getLiteralValue(), state, fields: [], transients: [] };
      const pyNames = new Map<string, Node>();
      for (const member of cls.getMembers()) {
        const fieldDecorator = Node.isDecoratable(member) ? member.getDecorators().find((d) => isFromDecorators(d.getCallExpressionOrThrow().getExpression(), "field")) : undefined;
        const loadDecorator = Node.isDecoratable(member) ? member.getDecorators().find((d) => isFromDecorators(d.getCallExpressionOrThrow().getExpression(), "afterLoad")) : undefined;
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
          const nameProp = Node.isObjectLiteralExpression(fieldOptions) ? fieldOptions.getProperty("name") : undefined;
          const init = nameProp && Node.isPropertyAssignment(nameProp) ? nameProp.getInitializer() : undefined;
          if (!init || !Node.isStringLiteral(init)) {
            report(fieldOptions, "TP101", "@field options are { name: \"python_name\" } with a string literal");
            continue;
          }
          pyName = init.getLiteralValue();
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
        const type = mapType(typeNode, member, tsName);
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
        classModel.fields.push({ tsName, pyName, type, optional, initializer } satisfies FieldModel);
      }
      if (!cls.isExported()) report(cls, "TP113", `class ${classModel.name} must be exported (the generated module imports it)`);
      model.classes.push(classModel);
    }
    files.push(model);
  }
  return { files, diagnostics };
}
