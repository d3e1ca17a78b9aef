// killAfter: the timeout that kills a run, for delays setTimeout can't hold.
import { afterEach, describe, expect, it, vi } from "vitest";
import { killAfter } from "../../src/run";

afterEach(() => vi.useRealTimers());

function fakeChild() {
  const signals: string[] = [];
  return { signals, child: { kill: (signal?: NodeJS.Signals) => (signals.push(signal ?? "SIGTERM"), true) } };
}

describe("killAfter", () => {
  it("fires after a short delay, and not before", () => {
    vi.useFakeTimers();
    const { signals, child } = fakeChild();
    const timer = killAfter(child, 50);
    vi.advanceTimersByTime(49);
    expect(timer.fired()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(timer.fired()).toBe(true);
    expect(signals).toEqual(["SIGKILL"]);
  });

  it("waits out a delay of 2^31 ms or more instead of firing at once", () => {
    vi.useFakeTimers();
    const { signals, child } = fakeChild();
    const ms = 2 ** 31 + 5_000;
    const timer = killAfter(child, ms);
    vi.advanceTimersByTime(10);
    expect(timer.fired()).toBe(false);
    vi.advanceTimersByTime(ms - 11);
    expect(timer.fired()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(timer.fired()).toBe(true);
    expect(signals).toEqual(["SIGKILL"]);
  });

  it("cancel() stops a long wait in any step", () => {
    vi.useFakeTimers();
    const { signals, child } = fakeChild();
    const timer = killAfter(child, 2 ** 32);
    vi.advanceTimersByTime(2 ** 31);
    timer.cancel();
    vi.advanceTimersByTime(2 ** 32);
    expect(timer.fired()).toBe(false);
    expect(signals).toEqual([]);
  });
});
