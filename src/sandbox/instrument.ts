/**
 * Budget instrumentation: a call to the budget check goes at the start of every function body,
 * and every loop counts its iterations, so `while (true) {}`, recursion bombs and unbounded async
 * loops end with a clear error even where the platform enforces no CPU limit (local workerd hangs
 * the whole process on a synchronous infinite loop, and inside Workers the clock does not advance
 * during synchronous execution, so only a counter can stop one).
 *
 * A loop that cannot suspend (no `await` or `yield` in it, outside the functions it defines)
 * counts in a variable of its own and charges the budget a batch of `LOOP_BATCH` iterations at a
 * time, and the rest when it ends however it ends (a `finally`): in a tight loop the check is
 * then an increment and a comparison, not a call. It is as preemptive as a call per iteration —
 * a loop that never ends charges a batch every `LOOP_BATCH` iterations — and only a loop that
 * never ends can run past the budget, by less than a batch. A loop that can suspend is checked
 * at every iteration: a generator abandoned mid-loop would never charge what its loop counted.
 *
 * A spread's value passes through `<check>_spread`, which charges its size to the allocation
 * budget (see runtime/meter.js): `a = [...a, ...a]` doubles memory in one step, which no step count sees.
 *
 * String concatenation (`+`, `+=`, template literals) is charged the same way, since V8 builds
 * a concatenation as a rope that costs nothing until something reads it, and then allocates all
 * of it: what is appended passes through `<check>_part` and what is made through `<check>_text`,
 * which charge big ones (runtime/meter.js says which). A `+` that is certainly arithmetic
 * (numeric.ts) is left alone, and so is an appended number or short literal.
 *
 * A regex literal's value passes through `<check>_regexp`, which gives the code a linear-time
 * regular expression in its place (see runtime/regexp.js): V8's backtracking engine runs no
 * budget check. Whether the code needs regular expressions at all is decided on the same walk:
 * only code with a regex literal or naming `RegExp`, `match`, `matchAll` or `search` (as an
 * identifier, a property or a string) gets the linear-time engine, which costs each isolate
 * milliseconds to load; other code gets runtime/no-regexp.js, which builds none at all.
 *
 * A caught exception costs `EXCEPTION_WEIGHT` ticks (a charge of that weight opens every catch
 * block, and a try/finally gets a rethrowing catch that does the same): throwing near the stack
 * limit costs about a thousand times a plain call, so without the weight
 * `function f() { try { f() } catch { f() } }` would take tens of seconds to use up the budget.
 */
import { parse } from "acorn";
import type { AnyNode, DoWhileStatement, ForInStatement, ForOfStatement, ForStatement, LabeledStatement, Program, WhileStatement } from "acorn";
import { full, recursive, simple } from "acorn-walk";
import { numericExpressions } from "./numeric";
import { SourceEdits } from "./source-edits";

export const EXCEPTION_WEIGHT = 100;
/** Iterations a loop counts by itself before it charges them (see above). */
export const LOOP_BATCH = 1024;

/** The names through which code can build a regular expression from a pattern. */
const REGEXP_NAMES = new Set(["RegExp", "match", "matchAll", "search"]);

export interface Instrumented {
  code: string;
  /** Whether the code can make a regular expression (see above). */
  regexps: boolean;
}

/** A string literal this short is never a big piece to append (runtime/meter.js's BIG_TEXT is 64 KiB). */
const SHORT_LITERAL = 1024;

// The body is parsed where it will run: inside an async function of an ES module.
const PREFIX = "(async function () {\n";
const SUFFIX = "\n})";

/**
 * Inserts `checkName()` (one step) and `checkName_add(n)` (n steps) into `body` (a normalised
 * async function body), and wraps each spread's value in `checkName_spread()`, each regex literal
 * in `checkName_regexp()`, and each concatenation and what it appends in `checkName_text()` and
 * `checkName_part()`. `checkName` must be an identifier the user code cannot know in advance, so
 * it can neither shadow nor call any of them; a loop's counter is `checkName_n`.
 */
export function instrumentCode(body: string, checkName: string): Instrumented {
  const source = PREFIX + body + SUFFIX;
  const program = parse(source, { ecmaVersion: "latest", sourceType: "module" });
  // Normalised code parsed as a whole program, so it cannot close the wrapper early; this keeps
  // that guarantee local, since the module splices the body between fixed lines.
  if (program.body.length !== 1 || program.body[0]!.end !== source.length) {
    throw new Error("the normalised code is not a self-contained function body");
  }
  const edits = new SourceEdits();
  // A tagged template hands its parts to the tag as values: nothing is concatenated.
  const tagged = new Set<AnyNode>();
  simple(program, { TaggedTemplateExpression: (node) => void tagged.add(node.quasi) });
  const numeric = numericExpressions(program);
  const small = (part: AnyNode) => numeric(part) || (part.type === "Literal" && (typeof part.value !== "string" || part.value.length < SHORT_LITERAL));
  /** What a concatenation appends goes through `<check>_part`, what it makes through `<check>_text`; arithmetic through neither. */
  const concatenation = (node: AnyNode, appended: readonly AnyNode[]) => {
    if (numeric(node)) return;
    for (const part of appended) if (!small(part)) edits.wrap(part.start, part.end, `${checkName}_part(`, ")");
    edits.wrap(node.start, node.end, `${checkName}_text(`, ")");
  };
  const check = `${checkName}();`;
  const weighted = `${checkName}_add(${EXCEPTION_WEIGHT});`;
  const counter = `${checkName}_n`;
  const counted = `if (++${counter} === ${LOOP_BATCH}) { ${counter} = 0; ${checkName}_add(${LOOP_BATCH}); }`;
  const labelled = outermostLabels(program);
  /** Loops that count for themselves, by the statement to wrap in their counter's scope. */
  const counting: AnyNode[] = [];
  /**
   * Puts `text` at the start of a loop's body, outside anything in the body that starts there
   * (`while (a) s += b` and `for(;;){s+=b}` begin with a concatenation the same wrap must not open).
   */
  const enter = (loop: LoopNode, text: string) => {
    if (loop.body.type === "BlockStatement") edits.wrapOutside(loop.body.start + 1, loop.body.end - 1, text);
    else edits.wrapOutside(loop.body.start, loop.body.end, `{${text}`, "}");
  };
  let regexps = false;
  full(program, (node: AnyNode) => {
    if (node.start < PREFIX.length) return;
    regexps ||= namesRegExp(node);
    switch (node.type) {
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "WhileStatement":
      case "DoWhileStatement": {
        if (suspends(node)) {
          enter(node, check);
          break;
        }
        enter(node, counted);
        // Around its labels too, so that `continue label` still names the loop.
        counting.push(labelled.get(node) ?? node);
        break;
      }
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        if (node.body.type === "BlockStatement") edits.wrap(node.body.start + 1, node.body.end - 1, check);
        else edits.wrap(node.body.start, node.body.end, `(${checkName}(), `, ")");
        break;
      case "SpreadElement":
        edits.wrap(node.argument.start, node.argument.end, `${checkName}_spread(`, ")");
        break;
      case "Literal":
        if ("regex" in node && node.regex) edits.wrap(node.start, node.end, `${checkName}_regexp(`, ")");
        break;
      case "BinaryExpression":
        if (node.operator === "+") concatenation(node, [node.right]);
        break;
      case "AssignmentExpression":
        if (node.operator === "+=") concatenation(node, [node.right]);
        break;
      case "TemplateLiteral":
        if (!tagged.has(node)) concatenation(node, node.expressions.slice(1));
        break;
      case "CatchClause":
        edits.wrap(node.body.start + 1, node.body.end - 1, weighted);
        break;
      case "TryStatement":
        if (!node.handler) {
          const error = `${checkName}_error`;
          edits.wrap(node.block.end, node.block.end, ` catch (${error}) {${weighted} throw ${error}; }`);
        }
        break;
    }
  });
  // Wrapped after the walk, so that where a loop is the body of another (`for (…) while (…) …`)
  // the outer loop's count opens first, outside the inner loop's counter scope.
  for (const statement of counting) {
    edits.wrap(statement.start, statement.end, `{ let ${counter} = 0; try { `, ` } finally { ${checkName}_add(${counter}); } }`);
  }
  const out = edits.apply(source);
  return { code: out.slice(PREFIX.length, out.length - SUFFIX.length), regexps };
}

type LoopNode = ForStatement | ForInStatement | ForOfStatement | WhileStatement | DoWhileStatement;

/** Each loop that is labelled, with the outermost of its labels (`a: b: for (…)` has two). */
function outermostLabels(program: Program): Map<AnyNode, LabeledStatement> {
  const outermost = new Map<AnyNode, LabeledStatement>();
  simple(program, {
    LabeledStatement(node) {
      let body: AnyNode = node.body;
      while (body.type === "LabeledStatement") body = body.body;
      const known = outermost.get(body);
      if (!known || node.start < known.start) outermost.set(body, node);
    },
  });
  return outermost;
}

/** Whether a loop can suspend mid-way: an `await` or `yield` in it, outside the functions it defines. */
function suspends(loop: LoopNode): boolean {
  if (loop.type === "ForOfStatement" && loop.await) return true;
  let found = false;
  const skip = () => undefined;
  recursive(loop, undefined, {
    AwaitExpression: () => void (found = true),
    YieldExpression: () => void (found = true),
    FunctionDeclaration: skip,
    FunctionExpression: skip,
    ArrowFunctionExpression: skip,
  });
  return found;
}

function namesRegExp(node: AnyNode): boolean {
  switch (node.type) {
    case "Identifier":
      return REGEXP_NAMES.has(node.name);
    case "Literal":
      return ("regex" in node && node.regex !== undefined) || (typeof node.value === "string" && REGEXP_NAMES.has(node.value));
    case "TemplateElement":
      return REGEXP_NAMES.has(node.value.cooked ?? "");
    // Names the walk does not visit as identifiers: `x.match`, `{ match() {} }`, `{ match: m } = …`.
    case "MemberExpression":
      return !node.computed && namedKey(node.property);
    case "Property":
    case "MethodDefinition":
    case "PropertyDefinition":
      return !node.computed && namedKey(node.key);
    case "ObjectPattern":
      return node.properties.some((p) => p.type === "Property" && !p.computed && namedKey(p.key));
    default:
      return false;
  }
}

function namedKey(key: AnyNode): boolean {
  return key.type === "Identifier" && REGEXP_NAMES.has(key.name);
}
