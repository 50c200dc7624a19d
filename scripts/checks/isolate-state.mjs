// Finds the isolate-level state of the Worker's source: what a module keeps between requests. A
// Worker isolate serves many requests at once, and an I/O object (a Durable Object stub, a D1
// session or statement, a stream, a Response, a promise of I/O) belongs to the request that made
// it: another request touching it gets a 500 from the runtime. So module-level state may hold
// plain data only (docs/isolate-state.md). Read by test/ops/isolate-state.ops.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** Type and value names that are, or hold, one request's I/O. */
const IO_NAMES = [
  "Promise",
  "PromiseLike",
  "DurableObjectStub",
  "DurableObjectNamespace",
  "D1Database",
  "D1DatabaseSession",
  "D1PreparedStatement",
  "ReadableStream",
  "WritableStream",
  "TransformStream",
  "Response",
  "Request",
  "Fetcher",
  "WebSocket",
  "Database",
  "ExecutionContext",
];
// eslint-disable-next-line security/detect-non-literal-regexp -- built from the constant list above
export const FORBIDDEN = new RegExp(`\\b(${IO_NAMES.join("|")})\\b`);

function sourceFiles(root) {
  return readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })
    .filter(
      (entry) =>
        entry.isFile() &&
        entry.name.endsWith(".ts") &&
        !/\.(test|fixtures)\.ts$/.test(entry.name) &&
        !entry.name.endsWith(".d.ts"),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A prefilled `new Set([...])` / `new Map([...])` is a constant table; an empty one, or any other class, is state. */
function isState(declaration, isLet) {
  if (isLet) return true;
  const init = declaration.initializer;
  if (!init) return false;
  if (ts.isNewExpression(init))
    return !(/^(Set|Map)$/.test(init.expression.getText()) && (init.arguments?.length ?? 0) > 0);
  // perConfig() memoises per config for the isolate's life; createApp() builds the router and its middleware closures
  return ts.isCallExpression(init) && /^(perConfig|createApp)$/.test(init.expression.getText());
}

/** Code without its string literals: a header named "X-Request-Id" holds no Request. */
const withoutStrings = (text) => text.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""');

/**
 * Every module-level mutable of `root`/src: `{ file, name, text, classes }`, where `classes` are
 * the src classes whose instances it holds (their fields are state too).
 */
export function isolateState(root) {
  const files = sourceFiles(root).map((path) => ({
    path,
    source: ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true),
  }));
  const classes = new Map();
  for (const { source } of files) {
    source.forEachChild(function visit(node) {
      if (ts.isClassDeclaration(node) && node.name) classes.set(node.name.text, node);
      node.forEachChild(visit);
    });
  }
  const found = [];
  for (const { path, source } of files) {
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const isLet = (statement.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== ts.NodeFlags.Const;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !isState(declaration, isLet)) continue;
        const text = declaration.getText();
        found.push({
          file: relative(root, path),
          name: declaration.name.text,
          text,
          classes: heldClasses(text, classes),
        });
      }
    }
  }
  return { found, classes };
}

/** The src classes named in `text`, and those their own fields name, transitively. */
function heldClasses(text, classes, seen = new Set()) {
  const identifiers = new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
  for (const [name, node] of classes) {
    if (seen.has(name) || !identifiers.has(name)) continue;
    seen.add(name);
    heldClasses(
      fieldsOf(node)
        .map((field) => field.text)
        .join("\n"),
      classes,
      seen,
    );
  }
  return [...seen];
}

/** The instance fields of a class (declared, and declared through constructor parameters). */
export function fieldsOf(node) {
  const fields = node.members
    .filter(
      (member) =>
        ts.isPropertyDeclaration(member) &&
        !member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword),
    )
    .map((member) => ({ name: member.name.getText(), text: member.getText() }));
  const constructor = node.members.find(ts.isConstructorDeclaration);
  for (const parameter of constructor?.parameters ?? []) {
    if (parameter.modifiers?.length) fields.push({ name: parameter.name.getText(), text: parameter.getText() });
  }
  return fields;
}

/** What holds (or may hold) an I/O object: the declaration itself, or a field of a class it holds. */
export function ioHolders({ found, classes }) {
  const holders = [];
  for (const state of found) {
    if (FORBIDDEN.test(withoutStrings(state.text))) holders.push(`${state.file}: ${state.name}`);
    for (const name of state.classes) {
      for (const field of fieldsOf(classes.get(name)))
        if (FORBIDDEN.test(withoutStrings(field.text)))
          holders.push(`${state.file}: ${state.name} → ${name}.${field.name}`);
    }
  }
  return holders;
}
