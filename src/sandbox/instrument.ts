/**
 * Budget instrumentation: a call to the budget check goes at the start of every loop body and
 * every function body, so `while (true) {}`, recursion bombs and unbounded async loops end with
 * a clear error even where the platform enforces no CPU limit (local workerd hangs the whole
 * process on a synchronous infinite loop, and inside Workers the clock does not advance during
 * synchronous execution, so only a counter can stop one).
 *
 * A spread's value passes through `<check>_spread`, which charges its size to the allocation
 * budget (see runtime/meter.js): `a = [...a, ...a]` doubles memory in one step, which no step count sees.
 *
 * String concatenation (`+`, `+=`, template literals) is charged the same way, since V8 builds
 * a concatenation as a rope that costs nothing until something reads it, and then allocates all
 * of it: what is appended passes through `<check>_part` and what is made through `<check>_text`,
 * which charge big ones (runtime/meter.js says which).
 *
 * A regex literal's value passes through `<check>_regexp`, which gives the code a linear-time
 * regular expression in its place (see runtime/regexp.js): V8's backtracking engine runs no
 * budget check.
 *
 * A caught exception costs `EXCEPTION_WEIGHT` ticks (a check with that weight opens every catch
 * block, and a try/finally gets a rethrowing catch that does the same): throwing near the stack
 * limit costs about a thousand times a plain call, so without the weight
 * `function f() { try { f() } catch { f() } }` would take tens of seconds to use up the budget.
 */
import { parse } from "acorn";
import type { AnyNode } from "acorn";
import { full, simple } from "acorn-walk";
import { SourceEdits } from "./source-edits";

export const EXCEPTION_WEIGHT = 100;

// The body is parsed where it will run: inside an async function of an ES module.
const PREFIX = "(async function () {\n";
const SUFFIX = "\n})";

/**
 * Inserts `checkName()` into `body` (a normalised async function body), and wraps each spread's
 * value in `checkName_spread()`, each regex literal in `checkName_regexp()`, and each
 * concatenation and what it appends in `checkName_text()` and `checkName_part()`. `checkName` must be an identifier the user code cannot know in
 * advance, so it can neither shadow nor call either.
 */
export function instrumentCode(body: string, checkName: string): string {
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
  /** What a concatenation appends goes through `<check>_part`, what it makes through `<check>_text`. */
  const concatenation = (node: AnyNode, appended: readonly AnyNode[]) => {
    for (const part of appended) edits.wrap(part.start, part.end, `${checkName}_part(`, ")");
    edits.wrap(node.start, node.end, `${checkName}_text(`, ")");
  };
  const check = `${checkName}();`;
  const weighted = `${checkName}(${EXCEPTION_WEIGHT});`;
  full(program, (node: AnyNode) => {
    if (node.start < PREFIX.length) return;
    switch (node.type) {
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "WhileStatement":
      case "DoWhileStatement":
        if (node.body.type === "BlockStatement") edits.wrap(node.body.start + 1, node.body.end - 1, check);
        else edits.wrap(node.body.start, node.body.end, `{${check}`, "}");
        break;
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
  const out = edits.apply(source);
  return out.slice(PREFIX.length, out.length - SUFFIX.length);
}
