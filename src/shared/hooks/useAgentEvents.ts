import { useEffect, useRef, useState } from 'react';
import type { AgentClient } from '../api/client';
import type { StreamState } from '../api/eventStreams';
import type { AgentEvent } from '../../../backend/src/contract/index.js';

/** The state of the agent's shared event stream, and its events to `onEvent` while mounted. */
export function useAgentStream(client: AgentClient, onEvent?: (event: AgentEvent) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => client.subscribe({ onEvent: (event) => handler.current?.(event), onState: setState }), [client]);
  return state;
}

/** Subscribes to the agent's event stream; returns whether it is open (callers poll when not). */
export function useAgentEvents(client: AgentClient, onEvent: (event: AgentEvent) => void): boolean {
  return useAgentStream(client, onEvent) === 'live';
}

/**
 * How often to poll. Without events: fast while a run is going, slowly otherwise. With events:
 * still now and then, because ages and states such as `stale` change without an event, and a
 * reconnecting stream can miss the end of a run.
 */
export function pollInterval(running: boolean, live: boolean): number {
  if (live) return running ? 10_000 : 60_000;
  return running ? 2_000 : 15_000;
}
