package dev.weft.core;

import dev.weft.Weft;
import java.lang.invoke.VarHandle;

/**
 * Run by {@link MonitorStartUpTest} in a JVM of its own: at procs=1, one fiber makes the monitor's
 * record of its slice say that the monitor last looked 25 ms ago (as after a collector's pause),
 * computes until the monitor asks it to yield, and yields, as a rewritten loop does. Prints {@code
 * answered} when the request came and was answered on the same worker.
 */
public final class LateLookProgram {
  private LateLookProgram() {}

  /** Runs the program; see the class comment. */
  public static void main(String[] args) {
    Weft.setMaxProcs(1);
    String[] outcome = {"not run"};
    Weft.run(
            () -> {
              Worker w = (Worker) Thread.currentThread();
              Fiber f = Fiber.current();
              long now = System.nanoTime();
              w.monSince = now - 25_000_000L;
              w.monPreempted = false;
              VarHandle.storeStoreFence(); // the record before the slice number that makes it current
              w.monSlices = w.slices();
              long deadline = now + 10_000_000_000L;
              while (!f.preemptRequested() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
              }
              boolean asked = f.preemptRequested();
              Weft.gosched();
              outcome[0] = asked && Thread.currentThread() == w ? "answered" : "not asked";
            });
    System.out.println(outcome[0]);
  }
}
