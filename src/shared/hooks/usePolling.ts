import { useEffect, useRef } from 'react';

/** Calls `callback` every `intervalMs`; null pauses. */
export function usePolling(callback: () => void, intervalMs: number | null): void {
  const saved = useRef(callback);
  saved.current = callback;
  useEffect(() => {
    if (intervalMs === null) return;
    const timer = setInterval(() => saved.current(), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
}
