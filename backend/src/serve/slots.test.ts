import { describe, expect, it } from 'vitest';
import { Slots } from './slots.js';

describe('run slots', () => {
  it('hands slots out up to the limit, then first come first served, and cancels waiters', async () => {
    const slots = new Slots(2);
    expect(slots.tryAcquire()).toBe(true);
    expect(await slots.acquire()).toBe(true);
    expect(slots.tryAcquire()).toBe(false);
    const order: string[] = [];
    const first = slots.acquire().then((ok) => order.push(`first:${ok}`));
    const second = slots.acquire().then((ok) => order.push(`second:${ok}`));
    slots.release();
    await first;
    expect(order).toEqual(['first:true']);
    expect(slots.inUse).toBe(2);
    slots.cancelWaiting();
    await second;
    expect(order).toEqual(['first:true', 'second:false']);
    slots.release();
    slots.release();
    expect(slots.inUse).toBe(0);
  });
});
