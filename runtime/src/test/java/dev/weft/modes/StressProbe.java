package dev.weft.modes;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.FrameStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

/**
 * Watches the stress mode from outside: a subject fiber makes {@code calls} calls of a suspendable
 * method that never suspends by itself, while an observer fiber looks at the subject's saved stack
 * whenever it runs. At maxprocs 1 the observer runs only while the subject is off the worker, so
 * every stress yield of the subject in that method is seen, with the number of the stress point it
 * yielded at, and nothing else is mistaken for one (a preemption of the subject's loop is saved at
 * another call site).
 *
 * <p>Lives outside {@code dev.weft.frame}, whose classes the agent never rewrites.
 *
 * <pre>{@code
 * StressProbe.Run run = StressProbe.run(1000, s -> s.stressDraws);
 * }</pre>
 */
public final class StressProbe {
  private StressProbe() {}

  /** What one run recorded. */
  public static final class Run {
    /** For each call of {@link #step}, in order, the number of the stress point it drew at. */
    public final List<Integer> drawAtCall = new ArrayList<>();
    /** The stress point numbers at which the observer saw the subject suspended in step. */
    public final Set<Integer> seenYieldingAt = ConcurrentHashMap.newKeySet();
    /** What the subject computed. */
    public long result;

    /**
     * Whether a second worker ran fibers of the run (the scheduler adds one when a slice seems
     * blocked, as a loaded machine can make it seem): the two fibers may then not have taken
     * turns, and the observer may have missed yields.
     */
    volatile boolean disturbed;

    /** The worker thread the run started on; a fiber of the run seen on another one disturbs it. */
    volatile Thread worker;

    void onWorker() {
      if (Thread.currentThread() != worker) {
        disturbed = true;
      }
    }

    /** The indices of the calls at which the subject was seen yielding, in order. */
    public List<Integer> callsThatYielded() {
      List<Integer> calls = new ArrayList<>();
      for (int k = 0; k < drawAtCall.size(); k++) {
        if (seenYieldingAt.contains(drawAtCall.get(k))) {
          calls.add(k);
        }
      }
      return calls;
    }
  }

  /**
   * Runs the subject and the observer in fibers, again when a run was disturbed by a second worker
   * (at most a few times).
   *
   * @param draws reads a fiber's stress point counter (package-private in the runtime)
   */
  public static Run run(int calls, ToIntFunction<FrameStack> draws) {
    Run run = runOnce(calls, draws);
    for (int attempt = 1; run.disturbed && attempt < 5; attempt++) {
      run = runOnce(calls, draws);
    }
    if (run.disturbed) {
      throw new AssertionError("every run saw a second worker running fibers beside the first");
    }
    return run;
  }

  private static Run runOnce(int calls, ToIntFunction<FrameStack> draws) {
    Run run = new Run();
    AtomicReference<FrameStack> subject = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    // The observer is the main fiber and starts the subject, so the subject makes the same
    // suspendable calls before its loop on every run (its entry, then work's) and the k-th call of
    // the loop is the same draw on every run. The subject used to start the observer and wait for
    // it in a gosched loop, whose number of turns (each a draw) depended on the worker's pick
    // order: every 61st pick takes the ring before runNext, and then the subject ran again before
    // the observer. In about one run in fifty every draw of the loop moved by one, and the two
    // runs of "the same calls on every run" disagreed.
    Weft.run(
        () -> {
          run.worker = Thread.currentThread();
          Weft.go(
              () -> {
                subject.set(FrameStack.current());
                try {
                  run.result = work(calls, draws, run);
                } finally {
                  done.set(true);
                }
              });
          observe(subject, done, draws, run);
        });
    return run;
  }

  /** The subject's computation, in a fiber or on a plain thread ({@code run} may then be null). */
  @Suspendable
  public static long work(int calls, ToIntFunction<FrameStack> draws, Run run) {
    FrameStack me = FrameStack.current();
    long acc = 17;
    for (int k = 0; k < calls; k++) {
      if (run != null) {
        run.drawAtCall.add((draws.applyAsInt(me) + 1) & 0xFFFF);
      }
      acc = step(acc, k, k * 0.5, "s" + k);
      if (run != null) {
        run.onWorker();
      }
    }
    return acc;
  }

  /** Suspends only when the stress mode makes it yield on entry. */
  @Suspendable
  static long step(long acc, int k, double half, String s) {
    return acc * 31 + k + (long) (half * 2) + s.length();
  }

  @Suspendable
  private static void observe(
      AtomicReference<FrameStack> subject,
      AtomicBoolean done,
      ToIntFunction<FrameStack> draws,
      Run run) {
    String stepSite = StressProbe.class.getName() + ".step(";
    while (!done.get()) {
      FrameStack s = subject.get();
      if (s != null) { // null until the subject has started
        look(s, stepSite, draws, run);
      }
      idle();
    }
  }

  /** At maxprocs 1 the subject is always suspended, its frames all saved, when this runs. */
  private static void look(
      FrameStack s, String stepSite, ToIntFunction<FrameStack> draws, Run run) {
    run.onWorker();
    try {
      List<String> sites = s.savedSites();
      if (sites.isEmpty()) {
        run.disturbed = true;
      } else if (sites.get(0).startsWith(stepSite)) {
        run.seenYieldingAt.add(draws.applyAsInt(s));
      }
    } catch (RuntimeException halfSaved) {
      run.disturbed = true;
    }
  }

  /** The observer's only way to yield: the stress mode's, so it runs once per subject yield. */
  @Suspendable
  private static void idle() {}
}
