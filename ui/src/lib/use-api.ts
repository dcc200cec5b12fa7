/** Reading one API resource into a view: its data, its error, and a way to read it again. */
import { useCallback, useEffect, useState } from "preact/hooks";
import { api } from "../api/client";

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

export function useApi<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: unknown }>({ path });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    api.get<T>(path).then(
      (data) => current && setState({ path, data }),
      (error: unknown) => current && setState({ path, error }),
    );
    return () => {
      current = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const same = state.path === path;
  return { data: same ? state.data : undefined, error: same ? state.error : undefined, reload };
}
