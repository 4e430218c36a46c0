// One event stream per agent per browser tab. Over HTTP/1.1 a browser keeps about six connections
// per host, and an open EventSource holds one for good: a dashboard with a few Warden panels, each
// with its own stream, would leave Grafana's own requests waiting. So every subscriber of an agent
// shares one EventSource: the first opens it, the last one closes it.
import { AGENT_EVENT_TYPES, type AgentEvent } from '../../../backend/src/contract/index.js';

/** `connecting` until the first open, `reconnecting` whenever the stream is down after that or refused. */
export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface StreamHandlers {
  onEvent?: (event: AgentEvent) => void;
  onState?: (state: StreamState) => void;
}

interface SharedStream {
  readonly subscribers: Set<StreamHandlers>;
  state: StreamState;
  close(): void;
}

/** Pauses before a refused stream is asked for again: doubling, at most a minute. */
const RESUBSCRIBE_FIRST_MS = 5_000;
const RESUBSCRIBE_MAX_MS = 60_000;

// The app and each nested panel are separate bundles (.config/webpack.config.ts), each with its own
// copy of this module: the registry lives on the window, under a key every copy finds.
const REGISTRY = Symbol.for('warden-mysqlbackup-app/event-streams');

function registry(): Map<string, SharedStream> {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: Map<string, SharedStream> };
  return (holder[REGISTRY] ??= new Map());
}

/**
 * Subscribes to the stream at `url`, opening it if nobody else has; returns the unsubscribe
 * function. A new subscriber hears the current state at once.
 */
export function subscribeStream(url: string, handlers: StreamHandlers): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const streams = registry();
  let stream = streams.get(url);
  if (!stream) {
    stream = openStream(url);
    streams.set(url, stream);
  }
  const shared = stream;
  shared.subscribers.add(handlers);
  handlers.onState?.(shared.state);
  return () => {
    if (!shared.subscribers.delete(handlers) || shared.subscribers.size > 0) return;
    shared.close();
    streams.delete(url);
  };
}

/**
 * EventSource reconnects by itself after a dropped stream, but gives up on a refusal (the agent
 * answers 503 when its streams are all taken): then a new one is opened after a growing pause.
 */
function openStream(url: string): SharedStream {
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let pause = RESUBSCRIBE_FIRST_MS;
  let closed = false;
  const stream: SharedStream = {
    subscribers: new Set(),
    state: 'connecting',
    close: () => {
      closed = true;
      clearTimeout(retry);
      source?.close();
    },
  };
  const setState = (state: StreamState) => {
    stream.state = state;
    for (const s of [...stream.subscribers]) s.onState?.(state);
  };
  const deliver = (type: AgentEvent['type'], message: MessageEvent<string>) => {
    let event: AgentEvent;
    try {
      event = { ...JSON.parse(message.data), type } as AgentEvent;
    } catch {
      return; // a malformed event is dropped; the next poll or event brings the state anyway
    }
    for (const s of [...stream.subscribers]) s.onEvent?.(event);
  };
  const open = () => {
    const current = new EventSource(url);
    source = current;
    current.onopen = () => {
      pause = RESUBSCRIBE_FIRST_MS;
      setState('live');
    };
    current.onerror = () => {
      if (closed) return;
      setState('reconnecting');
      if (current.readyState !== EventSource.CLOSED) return;
      retry = setTimeout(open, pause);
      pause = Math.min(pause * 2, RESUBSCRIBE_MAX_MS);
    };
    for (const type of AGENT_EVENT_TYPES) current.addEventListener(type, (m) => deliver(type, m as MessageEvent<string>));
  };
  open();
  return stream;
}
