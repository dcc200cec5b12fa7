/**
 * Which expressions of a program certainly evaluate to a number (or a BigInt): a `+` between two
 * of them is arithmetic, never a concatenation, so the instrumentation (instrument.ts) leaves it
 * unmetered — in a tight numeric loop the meter's calls cost more than the loop itself.
 *
 * Certain means by the operator alone, or by every value a variable can ever hold. Arithmetic
 * other than `+` (`-`, `*`, `/`, `%`, `**`, bitwise and shift operators, unary `-`, `+`, `~`,
 * `++`, `--`) converts its operands to numbers, whatever they are. A variable name is numeric
 * when every binding of it anywhere in the program is a `let`, `const` or `var` declared with a
 * numeric value (or none: `undefined` turns into `NaN` in arithmetic) and only ever assigned
 * numeric values, and every use of the name lies within the scope of one of those declarations
 * (so none can be a global the code set through `globalThis`). Names, not scopes: a binding that
 * shadows another only makes the answer more cautious. A parameter, a loop or catch variable, a
 * destructured name, a function or a class is not numeric; with no `eval` in the sandbox, every
 * assignment is in the source. Anything else (a property, a call's result) is not certain.
 */
import type { AnyNode, Expression, Pattern, Program, VariableDeclaration } from "acorn";
import { fullAncestor } from "acorn-walk";

const ARITHMETIC = new Set(["-", "*", "/", "%", "**", "&", "|", "^", "<<", ">>", ">>>"]);
const ARITHMETIC_ASSIGNMENT = new Set([...ARITHMETIC].map((op) => `${op}=`));

/** A test for the program's expressions: does this one certainly evaluate to a number or BigInt? */
export function numericExpressions(program: Program): (node: AnyNode) => boolean {
  /** Every value each name is given; `undefined` for one that is not an expression we can judge. */
  const assigned = new Map<string, Array<Expression | undefined>>();
  /** Where each name is declared with `let`, `const` or `var`: the extent of each declaration's scope. */
  const scopes = new Map<string, Array<[number, number]>>();
  /** Where each name is used (or declared). */
  const uses = new Map<string, number[]>();
  const add = <T>(map: Map<string, T[]>, name: string, value: T) => {
    const list = map.get(name);
    if (list) list.push(value);
    else map.set(name, [value]);
  };
  const unknowable = (pattern: Pattern | null | undefined) => {
    for (const name of patternNames(pattern)) add(assigned, name, undefined);
  };
  fullAncestor(program, (node: AnyNode, _state: unknown, ancestors: AnyNode[]) => {
    switch (node.type) {
      case "Identifier":
        add(uses, node.name, node.start);
        break;
      case "VariableDeclaration":
        for (const declarator of node.declarations) {
          if (declarator.id.type !== "Identifier") {
            unknowable(declarator.id);
            continue;
          }
          add(assigned, declarator.id.name, declarator.init ?? UNDEFINED_NUMBER);
          const scope = scopeOf(node.kind, ancestors);
          add(scopes, declarator.id.name, [scope.start, scope.end]);
        }
        break;
      case "AssignmentExpression":
        if (node.left.type === "Identifier") add(assigned, node.left.name, node.operator === "=" ? node.right : node);
        else unknowable(node.left as Pattern);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        if (node.type !== "ArrowFunctionExpression" && node.id) add(assigned, node.id.name, undefined);
        for (const param of node.params) unknowable(param);
        break;
      case "ClassDeclaration":
      case "ClassExpression":
        if (node.id) add(assigned, node.id.name, undefined);
        break;
      case "CatchClause":
        unknowable(node.param);
        break;
      case "ForInStatement":
      case "ForOfStatement":
        if (node.left.type !== "VariableDeclaration") unknowable(node.left as Pattern);
        else for (const declarator of node.left.declarations) unknowable(declarator.id);
        break;
    }
  });
  const covered = (name: string) => {
    const extents = scopes.get(name) ?? [];
    return (uses.get(name) ?? []).every((at) => extents.some(([start, end]) => at >= start && at < end));
  };

  // The largest set of names consistent with their assignments: start from every assigned name
  // and drop those given a value not certainly numeric, until none is dropped.
  const numeric = new Set([...assigned.keys()].filter((name) => scopes.has(name) && covered(name)));
  const isNumeric = (node: AnyNode): boolean => {
    switch (node.type) {
      case "Literal":
        return typeof node.value === "number" || typeof node.value === "bigint";
      case "Identifier":
        return numeric.has(node.name);
      case "UnaryExpression":
        return node.operator === "-" || node.operator === "+" || node.operator === "~";
      case "UpdateExpression":
        return true;
      case "BinaryExpression":
        return ARITHMETIC.has(node.operator) || (node.operator === "+" && isNumeric(node.left) && isNumeric(node.right));
      case "AssignmentExpression":
        if (ARITHMETIC_ASSIGNMENT.has(node.operator)) return true;
        if (node.operator === "+=") return isNumeric(node.left) && isNumeric(node.right);
        return node.operator === "=" && isNumeric(node.right);
      case "SequenceExpression":
        return isNumeric(node.expressions[node.expressions.length - 1]!);
      case "ConditionalExpression":
        return isNumeric(node.consequent) && isNumeric(node.alternate);
      case "ParenthesizedExpression":
        return isNumeric(node.expression);
      default:
        return false;
    }
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of numeric) {
      if (assigned.get(name)!.every((value) => value !== undefined && isNumeric(value))) continue;
      numeric.delete(name);
      changed = true;
    }
  }
  return isNumeric;
}

/**
 * The node whose extent a declaration's scope is: the nearest enclosing function for `var`,
 * the nearest block, loop head, switch or function for the others (`let`, `const`, `using`).
 */
function scopeOf(kind: VariableDeclaration["kind"], ancestors: readonly AnyNode[]): AnyNode {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const node = ancestors[i]!;
    const functionLike = node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";
    if (functionLike || node.type === "Program" || node.type === "StaticBlock") return node;
    if (kind !== "var" && (node.type === "BlockStatement" || node.type === "SwitchStatement" || node.type === "ForStatement" || node.type === "ForInStatement" || node.type === "ForOfStatement")) return node;
  }
  return ancestors[0]!;
}

/** What a declaration without a value holds, as arithmetic sees it: NaN. */
const UNDEFINED_NUMBER: Expression = { type: "Literal", value: Number.NaN, raw: "NaN", start: 0, end: 0 };

/** The names a binding pattern binds. */
function patternNames(pattern: Pattern | null | undefined): string[] {
  if (!pattern) return [];
  switch (pattern.type) {
    case "Identifier":
      return [pattern.name];
    case "ObjectPattern":
      return pattern.properties.flatMap((p) => patternNames(p.type === "RestElement" ? p.argument : p.value));
    case "ArrayPattern":
      return pattern.elements.flatMap((e) => patternNames(e));
    case "RestElement":
      return patternNames(pattern.argument);
    case "AssignmentPattern":
      return patternNames(pattern.left);
    default:
      return [];
  }
}
