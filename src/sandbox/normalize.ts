/**
 * Normalisation of the code LLMs write into one async function body that returns the program's
 * result: `export default <function | value>` is called or returned, a trailing expression
 * statement is returned, a lone function (declaration or expression) is called, and calls to
 * the async capability globals get the `await` the model forgot. Edits are made by source
 * offsets from an acorn AST, so the normalised code stays recognisably the user's own.
 */
import { parse } from "acorn";
import type { AnyNode, CallExpression, ExpressionStatement, Node, Program, Statement } from "acorn";
import { ancestor } from "acorn-walk";
import { SourceEdits } from "./source-edits";

/** Globals whose calls return promises the model may forget to await; `tools.*` calls too. */
export const ASYNC_GLOBALS = ["httpFetch", "executeTask", "executeTaskChain", "embed", "callTool", "sendEvent"] as const;

export interface NormalizeOptions {
  /** More global function names whose calls should be awaited. */
  asyncGlobals?: readonly string[];
  /**
   * Source text of the arguments the entry function (a default export, a lone function, `main`)
   * is called with, e.g. `...arguments` to pass on what the body itself was called with.
   */
  entryArguments?: string;
}

export type NormalizeResult = { ok: true; code: string } | { ok: false; error: string };

const STATEMENT_LISTS = new Set(["Program", "BlockStatement", "StaticBlock", "SwitchCase"]);
const PROMISE_COMBINATORS = new Set(["all", "allSettled", "any", "race"]);
const PROMISE_METHODS = new Set(["then", "catch", "finally"]);

class NormalizeError extends Error {}

export function normalizeCode(source: string, options: NormalizeOptions = {}): NormalizeResult {
  let program: Program;
  try {
    program = parse(source, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      locations: true,
    });
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { ok: false, error: syntaxErrorMessage(error) };
  }
  try {
    const edits = new SourceEdits();
    const asyncGlobals = new Set<string>([...ASYNC_GLOBALS, ...(options.asyncGlobals ?? [])]);
    const { resultStatement, suffix } = planResult(program, source, edits, options.entryArguments ?? "");
    addMissingAwaits(program, edits, asyncGlobals, resultStatement);
    return { ok: true, code: edits.apply(source) + suffix };
  } catch (error) {
    if (error instanceof NormalizeError) return { ok: false, error: error.message };
    throw error;
  }
}

function syntaxErrorMessage(error: SyntaxError): string {
  // acorn adds `loc` (1-based line, 0-based column) and repeats it at the end of the message.
  const loc = (error as SyntaxError & { loc?: { line: number; column: number } }).loc;
  const message = error.message.replace(/\s*\(\d+:\d+\)$/, "");
  return loc ? `SyntaxError at ${loc.line}:${loc.column + 1}: ${message}` : `SyntaxError: ${message}`;
}

function position(node: Node): string {
  return node.loc ? `${node.loc.start.line}:${node.loc.start.column + 1}` : `offset ${node.start}`;
}

function importError(node: Node, what: string): NormalizeError {
  return new NormalizeError(
    `${what} at ${position(node)} is not available in the sandbox: use the globals ` +
      `${ASYNC_GLOBALS.join(", ")} and tools.<service>.<operation>() instead`,
  );
}

/**
 * Decides how the program's result is returned: edits the export statements and the trailing
 * expression statement, and gives the text to append after the program (a final `return`).
 */
function planResult(
  program: Program,
  source: string,
  edits: SourceEdits,
  args: string,
): { resultStatement: Statement | undefined; suffix: string } {
  let suffix = "";
  for (const statement of program.body) {
    switch (statement.type) {
      case "ImportDeclaration":
        throw importError(statement, "An import");
      case "ExportAllDeclaration":
        throw importError(statement, "A re-export");
      case "ExportNamedDeclaration":
        if (statement.source) throw importError(statement, "A re-export");
        if (statement.declaration) {
          edits.replace(statement.start, statement.declaration.start, "");
        } else {
          edits.replace(statement.start, statement.end, "");
          const asDefault = statement.specifiers.find((s) => nameOf(s.exported) === "default");
          if (asDefault) suffix = returnCallOrValue(nameOf(asDefault.local), false, args);
        }
        break;
      case "ExportDefaultDeclaration": {
        const declaration = statement.declaration;
        const isFunction = isFunctionNode(declaration);
        const declaredName =
          (declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") && declaration.id
            ? declaration.id.name
            : undefined;
        if (declaredName) {
          edits.replace(statement.start, declaration.start, "");
          suffix = returnCallOrValue(declaredName, isFunction, args);
        } else {
          const name = freshName(source, "__default");
          edits.replace(statement.start, declaration.start, `const ${name} = `);
          edits.wrap(declaration.start, declaration.end, "", ";");
          suffix = returnCallOrValue(name, isFunction, args);
        }
        break;
      }
    }
  }
  if (suffix) return { resultStatement: undefined, suffix };

  const significant = program.body.filter((s) => s.type !== "EmptyStatement");
  const last = significant.filter((s) => s.type !== "FunctionDeclaration").at(-1);
  if (last?.type === "ExpressionStatement") {
    edits.wrap(last.start, last.end, "return ");
    const expression = last.expression;
    if (isFunctionNode(expression)) {
      edits.wrap(expression.start, expression.end, "(", `)(${args})`);
    }
    return { resultStatement: last, suffix: "" };
  }
  if (!last && significant.length > 0) {
    const declared = significant.map((s) => (s.type === "FunctionDeclaration" ? s.id.name : ""));
    const entry = declared.includes("main") ? "main" : declared.at(-1)!;
    return { resultStatement: undefined, suffix: returnCallOrValue(entry, true, args) };
  }
  return { resultStatement: undefined, suffix: "" };
}

function isFunctionNode(node: AnyNode): boolean {
  return (
    node.type === "FunctionDeclaration" ||
    node.type === "FunctionExpression" ||
    node.type === "ArrowFunctionExpression"
  );
}

function returnCallOrValue(name: string, isFunction: boolean, args: string): string {
  return isFunction
    ? `\nreturn ${name}(${args});`
    : `\nreturn typeof ${name} === "function" ? ${name}(${args}) : ${name};`;
}

function nameOf(node: AnyNode): string {
  if (node.type === "Identifier") return node.name;
  return node.type === "Literal" ? String(node.value) : "";
}

/** `base`, or `base` with a number, chosen so it occurs nowhere in the user's source. */
function freshName(source: string, base: string): string {
  let name = base;
  for (let i = 1; source.includes(name); i++) name = `${base}${i}`;
  return name;
}

function addMissingAwaits(
  program: Program,
  edits: SourceEdits,
  asyncGlobals: ReadonlySet<string>,
  resultStatement: Statement | undefined,
): void {
  ancestor(program, {
    ImportExpression(node) {
      throw importError(node, "A dynamic import()");
    },
    CallExpression(node, _state, ancestors) {
      if (!isCapabilityCall(node, asyncGlobals) || !needsAwait(ancestors)) return;
      const statement = ancestors.findLast((n): n is ExpressionStatement => n.type === "ExpressionStatement");
      if (statement && statement.expression.start === node.start && statement.expression.end === node.end) {
        edits.wrap(node.start, node.end, "await ");
        return;
      }
      // A statement that now starts with "(" would continue the previous line if that line lacks
      // a semicolon (ASI), so such a statement in a statement list gets a leading ";".
      const guard =
        statement !== undefined &&
        statement !== resultStatement &&
        statement.start === node.start &&
        STATEMENT_LISTS.has(ancestors[ancestors.indexOf(statement) - 1]?.type ?? "");
      edits.wrap(node.start, node.end, guard ? ";(await " : "(await ", ")");
    },
  });
}

function isCapabilityCall(call: CallExpression, asyncGlobals: ReadonlySet<string>): boolean {
  const callee = call.callee;
  if (callee.type === "Identifier") return asyncGlobals.has(callee.name);
  let root: AnyNode = callee;
  while (root.type === "MemberExpression") root = root.object;
  return root !== callee && root.type === "Identifier" && root.name === "tools";
}

/**
 * True when the call (last of `ancestors`) sits directly in an async context, is not awaited yet
 * and its promise is not handed on on purpose (`.then(...)`, `Promise.all([...])`).
 */
function needsAwait(ancestors: AnyNode[]): boolean {
  const chain = ancestors.filter((n) => n.type !== "ChainExpression");
  const call = chain.at(-1)!;
  const parent = chain.at(-2);
  if (parent?.type === "AwaitExpression") return false;
  if (parent?.type === "MemberExpression" && parent.object === call && !parent.computed) {
    if (parent.property.type === "Identifier" && PROMISE_METHODS.has(parent.property.name)) return false;
  }
  if (parent?.type === "ArrayExpression" && isPromiseCombinatorCall(chain.at(-3))) return false;
  if (isPromiseCombinatorCall(parent)) return false;
  return inAsyncContext(ancestors);
}

function isPromiseCombinatorCall(node: AnyNode | undefined): boolean {
  if (node?.type !== "CallExpression" || node.callee.type !== "MemberExpression") return false;
  const { object, property } = node.callee;
  return (
    object.type === "Identifier" &&
    object.name === "Promise" &&
    property.type === "Identifier" &&
    PROMISE_COMBINATORS.has(property.name)
  );
}

/**
 * Whether `await` is legal where the last ancestor sits: in the body of an async function, or
 * at the top level (the whole program becomes an async function body). Parameters, class field
 * initialisers and static blocks are never async contexts.
 */
function inAsyncContext(ancestors: AnyNode[]): boolean {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const node = ancestors[i]!;
    const child = ancestors[i + 1];
    switch (node.type) {
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        return node.async && child === node.body;
      case "PropertyDefinition":
        if (child === node.value) return false;
        break;
      case "StaticBlock":
        return false;
    }
  }
  return true;
}
