import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../../test/eventSource';
import { subscribeStream, type StreamState } from './eventStreams';
import type { AgentEvent } from '../../../backend/src/contract/index.js';

const URL = '/api/plugin-proxy/warden-mysqlbackup-app/agent/0/api/v1/events';

/** A subscriber that records what it hears. */
function listener() {
  const heard = { events: [] as AgentEvent[], states: [] as StreamState[] };
  return { heard, handlers: { onEvent: (e: AgentEvent) => heard.events.push(e), onState: (s: StreamState) => heard.states.push(s) } };
}

describe('subscribeStream', () => {
  beforeEach(() => vi.stubGlobal('EventSource', FakeEventSource));
  afterEach(() => vi.unstubAllGlobals());

  it('opens one EventSource for every subscriber of a URL; the last to leave closes it', () => {
    const before = FakeEventSource.opened;
    const [a, b, c] = [listener(), listener(), listener()];
    const stopA = subscribeStream(URL, a.handlers);
    const source = FakeEventSource.last!;
    const stopB = subscribeStream(URL, b.handlers);
    const stopC = subscribeStream(`${URL}?other`, c.handlers);
    expect(FakeEventSource.opened - before).toBe(2);

    source.onopen?.();
    source.emit('run-finished', { id: 'r1', target: 'shop', status: 'success' });
    for (const { heard } of [a, b]) {
      expect(heard.events).toEqual([{ type: 'run-finished', id: 'r1', target: 'shop', status: 'success' }]);
      expect(heard.states).toEqual(['connecting', 'live']);
    }
    expect(c.heard.events).toEqual([]);

    stopA();
    stopA(); // twice is once
    expect(source.closed).toBe(false);
    source.emit('run-started', { id: 'r2', target: 'shop', kind: 'backup', startedAt: 'now' });
    expect(a.heard.events).toHaveLength(1);
    expect(b.heard.events).toHaveLength(2);
    stopB();
    expect(source.closed).toBe(true);
    stopC();
  });

  it('tells a late subscriber the state at once, and opens a new stream once the old one is closed', () => {
    const first = listener();
    const stop = subscribeStream(URL, first.handlers);
    FakeEventSource.last!.onopen?.();
    const late = listener();
    const stopLate = subscribeStream(URL, late.handlers);
    expect(late.heard.states).toEqual(['live']);
    stop();
    stopLate();

    const before = FakeEventSource.opened;
    const again = listener();
    subscribeStream(URL, again.handlers)();
    expect(FakeEventSource.opened).toBe(before + 1);
    expect(again.heard.states).toEqual(['connecting']);
  });

  it('says reconnecting while the browser reconnects a dropped stream, and live when it is back', () => {
    const { heard, handlers } = listener();
    const stop = subscribeStream(URL, handlers);
    const source = FakeEventSource.last!;
    source.onopen?.();
    source.onerror?.(); // dropped: readyState stays CONNECTING, EventSource retries by itself
    source.onopen?.();
    expect(heard.states).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    stop();
  });

  it('asks again, after growing pauses, when the agent refuses the stream, for all its subscribers', () => {
    vi.useFakeTimers();
    const [a, b] = [listener(), listener()];
    const stops = [subscribeStream(URL, a.handlers), subscribeStream(URL, b.handlers)];
    const before = FakeEventSource.opened;
    FakeEventSource.last!.refuse();
    vi.advanceTimersByTime(4_999);
    expect(FakeEventSource.opened).toBe(before);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toBe(before + 1);
    FakeEventSource.last!.refuse();
    vi.advanceTimersByTime(9_999);
    expect(FakeEventSource.opened).toBe(before + 1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toBe(before + 2);
    FakeEventSource.last!.onopen?.();
    for (const { heard } of [a, b]) expect(heard.states).toEqual(['connecting', 'reconnecting', 'reconnecting', 'live']);
    // Once the last subscriber has gone, a refusal is not retried.
    for (const stop of stops) stop();
    FakeEventSource.last!.refuse();
    vi.advanceTimersByTime(120_000);
    expect(FakeEventSource.opened).toBe(before + 2);
  });

  it('drops a malformed event and keeps delivering the next ones', () => {
    const { heard, handlers } = listener();
    const stop = subscribeStream(URL, handlers);
    const source = FakeEventSource.last!;
    // FakeEventSource.emit sends JSON only: reach its listener directly with a broken body.
    const listeners = (source as unknown as { listeners: Map<string, (m: MessageEvent<string>) => void> }).listeners;
    listeners.get('run-progress')!({ data: '{not json' } as MessageEvent<string>);
    source.emit('run-progress', { id: 'r1', target: 'shop', progress: { bytesRead: 1 } });
    expect(heard.events).toHaveLength(1);
    stop();
  });

  it('keeps one registry for every bundle of the plugin (the app and each panel)', () => {
    const stop = subscribeStream(URL, {});
    const registry = (globalThis as Record<symbol, unknown>)[Symbol.for('warden-mysqlbackup-app/event-streams')];
    expect(registry).toBeInstanceOf(Map);
    expect((registry as Map<string, unknown>).has(URL)).toBe(true);
    stop();
    expect((registry as Map<string, unknown>).has(URL)).toBe(false);
  });

  it('does nothing where EventSource does not exist', () => {
    vi.stubGlobal('EventSource', undefined);
    const onState = vi.fn();
    subscribeStream(URL, { onState })();
    expect(onState).not.toHaveBeenCalled();
  });
});
