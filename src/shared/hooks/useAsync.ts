import { useCallback, useEffect, useRef, useState, type DependencyList, type Dispatch, type SetStateAction } from 'react';

export interface AsyncState<T> {
  value: T | undefined;
  error: unknown;
  /** true until the first answer after the inputs changed; background reloads keep it false */
  loading: boolean;
  reload: () => void;
  setValue: Dispatch<SetStateAction<T | undefined>>;
}

/** Runs `load` whenever `deps` change or `reload` is called; only the latest answer is kept. */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const reloading = useRef(false);

  useEffect(() => {
    let current = true;
    if (!reloading.current) {
      setLoading(true);
      setValue(undefined);
    }
    reloading.current = false;
    load().then(
      (result) => {
        if (!current) return;
        setValue(result);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure every render; `deps` says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => {
    reloading.current = true;
    setTick((t) => t + 1);
  }, []);

  return { value, error, loading, reload, setValue };
}
