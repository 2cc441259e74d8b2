package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.FrameStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Proof that one suspension really unwound the fiber, and was not a no-op or a blocked thread.
 *
 * <p>Before suspending, the fiber under test arms a witness: it records its own saved stack (its
 * {@link FrameStack}) and the methods of this package that are on its Java stack. Another fiber
 * that runs while the first one waits (the {@link Ticker}, or the partner fiber of a channel
 * operation) observes the saved stack: how many frames it holds and at which call sites. After
 * resuming, the fiber under test verifies that an observation happened and that every method of
 * this package that was on its Java stack had saved a frame, in the same order.
 *
 * <p>Why this cannot pass by accident: a complete saved stack exists only while the fiber is
 * unwound. If the suspension did not happen, nothing is observed; if it blocked the worker thread
 * instead, the saved stack is empty. The shape tests run at maxprocs 1, so the observer normally
 * runs only once the fiber under test has left the worker; where a compensating worker runs
 * fibers beside it, a look that catches the stack half-saved is ignored and a later one counts.
 * The fiber under test suspends again until it has been observed ({@link #shouldRetry()}), each
 * time a full suspension of the same frames. Frames added by
 * lambda proxies are hidden from the stack walk, and synthetic accessors ({@code access$NNN}) are
 * skipped, because the agent may treat both as stateless. Consecutive frames of the same method are
 * collapsed on both sides, so a bridge method that saves nothing and direct recursion compare
 * alike.
 *
 * <pre>{@code
 * Witness w = Witness.arm();
 * do {
 *   Weft.gosched();        // the ticker observes the saved frames meanwhile
 * } while (w.shouldRetry());
 * w.verify();              // fails unless it did
 * }</pre>
 */
public final class Witness {
  private static final String PACKAGE = "dev.weft.shapes.";

  /** Retries that cost nothing to allow, before the patience below starts counting. */
  private static final int QUICK_RETRIES = 16;

  /** How long a fiber under test keeps suspending while nobody has observed it. */
  private static final long PATIENCE_NANOS = 5_000_000_000L;

  private static final StackWalker WALKER = StackWalker.getInstance();

  /** Armed witnesses nobody has observed yet; the ticker observes them all. */
  private static final Queue<Witness> PENDING = new ConcurrentLinkedQueue<>();

  private final FrameStack target;
  /** Innermost first, consecutive duplicates collapsed; null when only the depth is checked. */
  private final List<String> expectedMethods;
  private final int minimumFrames;

  /** Where and when the witness was armed, for failure messages. */
  private final String armedOn = Thread.currentThread().getName();

  private final long ticksAtArm = Ticker.ticks();

  private volatile boolean observed;
  /** What a look found when the saved stack was not complete, for the failure message. */
  private volatile String lastIncomplete;

  private Witness(FrameStack target, List<String> expectedMethods, int minimumFrames) {
    this.target = target;
    this.expectedMethods = expectedMethods;
    this.minimumFrames = minimumFrames;
  }

  /**
   * Arms a witness for the current fiber, expecting every method of the shape tests on the current
   * Java stack to appear among the saved frames.
   */
  public static Witness arm() {
    FrameStack me = currentStack();
    List<String> expected =
        collapse(
            WALKER.walk(
                frames ->
                    frames
                        .filter(f -> isShapeFrame(f.getClassName(), f.getMethodName()))
                        .map(f -> f.getClassName() + "." + f.getMethodName())
                        .collect(Collectors.toList())));
    return register(new Witness(me, expected, Math.max(1, expected.size())));
  }

  /**
   * Arms a witness that only checks that at least {@code minimumFrames} frames were saved: for
   * stacks so deep that comparing every call site would dominate the test.
   */
  public static Witness armDepth(int minimumFrames) {
    return register(new Witness(currentStack(), null, minimumFrames));
  }

  private static FrameStack currentStack() {
    FrameStack me = FrameStack.current();
    assertNotNull(me, "a shape test must run inside a fiber");
    return me;
  }

  private static Witness register(Witness w) {
    PENDING.add(w);
    return w;
  }

  /** Forgets witnesses left armed by a test that failed half-way. */
  static void reset() {
    PENDING.clear();
  }

  /** Observes every armed witness except the caller's own; called by the ticker on each tick. */
  static void observePending() {
    FrameStack me = FrameStack.current();
    for (Witness w : PENDING) {
      if (w.target != me) {
        w.observe();
      }
    }
  }

  /**
   * Records the saved stack of the armed fiber, if it is complete. Call from another fiber while
   * the armed fiber is suspended; the first complete observation wins.
   *
   * <p>An incomplete stack (fewer frames than expected, or the expected methods missing) is not
   * recorded, so that a later tick can look again: at maxprocs 1 the first look always finds the
   * stack complete, but right after a pinned fiber a compensating worker may briefly run fibers
   * beside the one under test, and then a look may catch it half-way through its unwind.
   */
  public void observe() {
    if (observed) {
      return;
    }
    int frames;
    List<String> methods = new ArrayList<>();
    try {
      frames = target.savedFrames();
      if (expectedMethods != null) {
        for (String site : target.savedSites()) {
          int paren = site.indexOf('(');
          methods.add(paren < 0 ? site : site.substring(0, paren));
        }
      }
    } catch (RuntimeException racedWithTheUnwind) {
      lastIncomplete = "a stack that could not be read (" + racedWithTheUnwind + ")";
      return;
    }
    methods = collapse(methods);
    if (frames < minimumFrames
        || (expectedMethods != null && !isSubsequence(expectedMethods, methods))) {
      lastIncomplete = frames + " frames " + methods;
      return;
    }
    observed = true;
    PENDING.remove(this);
  }

  /**
   * Observes from the fiber the armed one waits for (the other end of a channel operation), looking
   * again after each yield until the armed fiber's saved stack is complete. One look is not
   * enough: beside a compensating worker, or on a second one, the partner can run before the
   * armed fiber has finished unwinding, and the operation then completes without another look.
   * The wait ends as soon as the armed fiber is unwound; only a suspension that never unwinds
   * exhausts the patience, and {@link #verify()} then fails as it should.
   */
  @Suspendable
  public void observeUnwound() {
    long giveUpAt = System.nanoTime() + PATIENCE_NANOS;
    observe();
    while (!observed && System.nanoTime() - giveUpAt < 0) {
      Weft.gosched();
      observe();
    }
  }

  private int retries;
  private long giveUpAt;

  /** Whether another fiber has observed the armed fiber's complete saved stack yet. */
  public boolean observed() {
    return observed;
  }

  /**
   * Whether the armed fiber should suspend once more because nobody has observed it yet. Every
   * suspension is a full unwind of the same frames, so retrying weakens nothing: one that never
   * unwinds is never observed, and {@link #verify()} then fails.
   *
   * <p>Retrying is needed because a suspension does not promise that the observer runs before the
   * fiber resumes: like Go's scheduler on its every-61st tick, ours may run a fiber that just
   * yielded ahead of one in the runNext slot; and an observer queued on a worker that another
   * fiber pins waits, by design, until the scheduler notices and adds a worker (milliseconds).
   */
  public boolean shouldRetry() {
    if (observed) {
      return false;
    }
    if (++retries == QUICK_RETRIES) {
      giveUpAt = System.nanoTime() + PATIENCE_NANOS;
    }
    return retries < QUICK_RETRIES || System.nanoTime() - giveUpAt < 0;
  }

  /** Asserts, after the armed fiber resumed, that its suspension unwound every frame expected. */
  public void verify() {
    PENDING.remove(this);
    if (!observed) {
      String seen = lastIncomplete;
      String where =
          " [armed on "
              + armedOn
              + ", resumed on "
              + Thread.currentThread().getName()
              + "; the ticker ticked "
              + (Ticker.ticks() - ticksAtArm)
              + " times meanwhile, last on "
              + Ticker.lastThread()
              + "; "
              + (retries + 1)
              + " suspensions; maxprocs "
              + dev.weft.Weft.maxProcs()
              + "]";
      fail(
          (seen == null
              ? "no other fiber ran while this fiber was suspended, so the suspension did not"
                  + " unwind (expected saved frames for "
                  + (expectedMethods != null ? expectedMethods : minimumFrames + " frames")
                  + ")"
              : "while this fiber was suspended its saved stack held "
                  + seen
                  + ", which lacks, in order, the frames that were on its Java stack: "
                  + (expectedMethods != null ? expectedMethods : minimumFrames + " frames"))
              + where);
    }
  }

  private static boolean isShapeFrame(String className, String methodName) {
    return className.startsWith(PACKAGE)
        && !className.equals(Witness.class.getName())
        && !methodName.startsWith("access$");
  }

  private static List<String> collapse(List<String> methods) {
    List<String> out = new ArrayList<>(methods.size());
    for (String m : methods) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(m)) {
        out.add(m);
      }
    }
    return out;
  }

  private static boolean isSubsequence(List<String> wanted, List<String> in) {
    int i = 0;
    for (String s : in) {
      if (i < wanted.size() && wanted.get(i).equals(s)) {
        i++;
      }
    }
    return i == wanted.size();
  }
}
