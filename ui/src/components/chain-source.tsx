/**
 * A chain's source being edited, checked by `POST /chains/validate` as it is typed: the editor
 * with each problem marked at its place, the check's verdict, and the list of problems. The
 * chain page, the fork form and the replay view edit chains with it.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, api, messageOf } from "../api/client";
import type { Problem } from "../api/types";
import { placeProblem } from "../lib/problem-place";
import { SourceEditor, type PlacedProblem } from "./source-editor";

const VALIDATE_DELAY_MS = 250;

export type Check = "checking" | "valid" | "invalid";

export interface ChainCheck {
  check: Check;
  problems: PlacedProblem[];
}

/** The text's problems as the API names them, checked a moment after typing stops. */
export function useChainCheck(text: string): ChainCheck {
  const [problems, setProblems] = useState<Problem[]>([]);
  const [check, setCheck] = useState<Check>("checking");
  useEffect(() => {
    if (!text) return;
    setCheck("checking");
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const result = await api.post<{ problems: Problem[] }>("/chains/validate", text);
        if (current) (setProblems(result.problems), setCheck("valid"));
      } catch (e) {
        if (current) (setProblems(e instanceof ApiError && e.problems ? e.problems : [{ severity: "error", path: "", message: messageOf(e) }]), setCheck("invalid"));
      }
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  const placed = useMemo(() => problems.map((problem) => ({ problem, place: placeProblem(text, problem) })), [problems, text]);
  return { check, problems: placed };
}

export function CheckVerdict({ check, problems }: ChainCheck) {
  const errors = problems.filter((p) => p.problem.severity === "error").length;
  return <span class={`check check-${check}`}>{check === "checking" ? "checking…" : check === "valid" ? "valid" : `${errors} problem(s)`}</span>;
}

interface Props {
  label: string;
  value: string;
  onInput: (value: string) => void;
  checked: ChainCheck;
}

/** The editor and, under it, every problem with its line. */
export function ChainSource({ label, value, onInput, checked }: Props) {
  return (
    <>
      <SourceEditor label={label} value={value} onInput={onInput} problems={checked.problems} />
      <ul class="problems" aria-label="Problems">
        {checked.problems.map(({ problem, place }, i) => (
          <li key={i} class={`problem problem-${problem.severity}`} data-path={problem.path} data-line={place?.line ?? ""}>
            <span class="problem-where">{place ? `line ${place.line}` : "–"}</span> <code>{problem.path || "(chain)"}</code> {problem.message}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A chain as the editors show it. */
export const chainText = (chain: unknown) => `${JSON.stringify(chain, null, 2)}\n`;
