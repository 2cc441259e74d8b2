package dev.weft;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Shared by the channel, select, WaitGroup and Mutex tests: runs parties as fibers or plain
 * threads, at a given maxprocs, under a hang guard, and waits for conditions without sleeping.
 */
final class SyncTestKit {
  private SyncTestKit() {}

  /** Where a party runs. */
  enum Side {
    FIBER,
    THREAD
  }

  /** The longest any one test may take before it counts as hung. */
  static final Duration HANG_GUARD = Duration.ofSeconds(30);

  /** Every combination of maxprocs 1 and 2 with two parties' sides. */
  static Stream<Arguments> matrix() {
    List<Arguments> all = new ArrayList<>();
    for (int procs : new int[] {1, 2}) {
      for (Side a : Side.values()) {
        for (Side b : Side.values()) {
          all.add(Arguments.of(procs, a, b));
        }
      }
    }
    return all.stream();
  }

  /** maxprocs 1 and 2, each with either side. */
  static Stream<Arguments> procsAndSide() {
    List<Arguments> all = new ArrayList<>();
    for (int procs : new int[] {1, 2}) {
      for (Side s : Side.values()) {
        all.add(Arguments.of(procs, s));
      }
    }
    return all.stream();
  }

  /** Runs {@code body} with maxprocs set to {@code procs}, under the hang guard. */
  static void atProcs(int procs, Executable body) {
    int before = Weft.setMaxProcs(procs);
    try {
      assertTimeoutPreemptively(HANG_GUARD, body);
    } finally {
      Weft.setMaxProcs(before);
    }
  }

  /** A fiber or plain thread running a test body; {@link #join()} rethrows what it threw. */
  static final class Party {
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Throwable failure;

    /** Waits for the party to end; rethrows its exception or error. */
    void join() throws Throwable {
      Throwable t = joinFailure();
      if (t != null) {
        throw t;
      }
    }

    /** Waits for the party to end and returns what it threw, or null. */
    Throwable joinFailure() throws InterruptedException {
      if (!finished.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("party did not finish");
      }
      return failure;
    }

    boolean isFinished() {
      return finished.getCount() == 0;
    }
  }

  /** Starts {@code body} on a new fiber or a new daemon thread. */
  static Party start(Side side, SuspendableRunnable body) {
    Party p = new Party();
    SuspendableRunnable wrapped =
        () -> {
          try {
            body.run();
          } catch (Throwable t) {
            p.failure = t;
          }
          p.finished.countDown();
        };
    if (side == Side.FIBER) {
      Weft.go(wrapped);
    } else {
      Thread t =
          new Thread(
              () -> {
                try {
                  wrapped.run();
                } catch (Exception impossible) {
                  throw new AssertionError(impossible);
                }
              },
              "test-party");
      t.setDaemon(true);
      t.start();
    }
    return p;
  }

  /** Joins every party, rethrowing the first failure. */
  static void joinAll(Party... parties) throws Throwable {
    for (Party p : parties) {
      p.join();
    }
  }

  /** Waits (on the test's plain thread) until {@code condition} holds; the hang guard bounds it. */
  static void awaitCondition(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      LockSupport.parkNanos(20_000); // leave the CPUs to the parties; this is a poll, not a bet
    }
  }
}
