package dev.weft.junit;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.SuspendableCallable;
import dev.weft.Weft;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One fiber that runs a test's {@code @BeforeEach} methods, the test method and its {@code
 * @AfterEach} methods, one after the other, as JUnit hands them over (SPEC section 3b).
 *
 * <p>JUnit calls each of them from its own thread and expects each call to have finished when it
 * returns, so the fiber cannot simply be the caller. A platform thread of its own runs {@link
 * Weft#run} with a loop that takes one step at a time from a channel; JUnit's thread puts a step
 * there and waits for its outcome. When the test deadlocks, {@code Weft.run} throws the {@code
 * DeadlockException}, which becomes the outcome of the step in progress; a later step (the
 * {@code @AfterEach} methods, which must still run) gets a fresh fiber. Closed when JUnit is done
 * with the test.
 */
final class TestFiber implements ExtensionContext.Store.CloseableResource {
  /** One call handed to the fiber, and its outcome. */
  static final class Step {
    final SuspendableCallable<Object> body;
    final CompletableFuture<Object> outcome = new CompletableFuture<>();

    Step(SuspendableCallable<Object> body) {
      this.body = body;
    }

    @Suspendable
    void run() {
      try {
        outcome.complete(body.call());
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      }
    }
  }

  /** A serving thread and its fiber; replaced when its fiber ends early. */
  private final class Server {
    /** One slot: JUnit hands over one step at a time, and putting it there never blocks. */
    final Channel<Step> steps = Channel.make(1);
    final Thread thread;
    volatile Step current; // written by the fiber, read by the serving thread after a failure
    boolean ended; // guarded by TestFiber.this

    /**
     * Starts with its first step already in the slot. Put there by this plain thread before the
     * fiber exists, it also marks the channel as one a plain thread uses, so the deadlock detector
     * never takes the fiber's wait for JUnit's next step for a deadlock.
     */
    Server(Step first) {
      steps.send(first);
      thread = new Thread(this::serve, "weft-test " + name);
      thread.setDaemon(true);
      thread.start();
    }

    private void serve() {
      Throwable failure = null;
      try {
        Weft.run(
            () -> {
              for (Step s = steps.receive(); s != null; s = steps.receive()) {
                current = s;
                s.run();
                current = null;
              }
            });
      } catch (Throwable e) { // a deadlock, or Weft's own failure: the step in progress ends so
        failure = e;
      } finally {
        synchronized (TestFiber.this) {
          ended = true;
          for (Step s = steps.tryReceive(); s != null; s = steps.tryReceive()) {
            s.outcome.completeExceptionally(new IllegalStateException("the test's fiber ended"));
          }
        }
        // Only now, with the server marked ended: JUnit's thread, woken by this outcome, hands
        // the next step (an @AfterEach after a deadlock) to a fresh server. Completed before the
        // mark, the step could go into this server's slot and be drained as "ended" above.
        Step last = current;
        if (failure != null && last != null) {
          last.outcome.completeExceptionally(failure);
        }
      }
    }
  }

  private final String name;
  private Server server; // guarded by this

  TestFiber(String testName) {
    this.name = testName;
  }

  /** Runs {@code body} in the test's fiber and returns its result, or throws what it threw. */
  Object run(SuspendableCallable<Object> body) throws Throwable {
    Step s = new Step(body);
    synchronized (this) {
      if (server == null || server.ended) {
        server = new Server(s);
      } else {
        server.steps.send(s); // the slot is free: the previous step has finished
      }
    }
    try {
      return s.outcome.get();
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  @Override
  public void close() throws InterruptedException {
    Server s;
    synchronized (this) {
      s = server;
      server = null;
      if (s == null || s.ended) {
        return;
      }
      s.steps.close(); // the fiber's receive returns null and its loop ends
    }
    s.thread.join();
  }
}
