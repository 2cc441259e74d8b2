package dev.weft;

import dev.weft.core.Fiber;
import dev.weft.core.FiberDump;
import dev.weft.core.MainCall;
import dev.weft.core.Parker;
import dev.weft.core.Fibers;
import dev.weft.frame.FrameStack;
import dev.weft.frame.UninstrumentedFrameError;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Goroutines for Java: start fibers, wait for them, sleep, yield, and set how many run at once.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   Weft.run(() -> {
 *     Channel<String> greetings = Channel.make();
 *     Weft.go(() -> greetings.send("hello from a fiber"));
 *     System.out.println(greetings.receive());
 *   });
 * }
 * }</pre>
 *
 * <p>Fibers are scheduled m:n on {@link #maxProcs()} worker threads (Go's GOMAXPROCS), set by
 * {@code -Dweft.maxprocs=N}, else the {@code GOMAXPROCS} environment variable, else the number of
 * CPUs. Worker threads are daemons: like a Go program, a Java program ends when its main thread
 * does, whatever fibers are left. Fibers have no identity and no fiber-local storage.
 */
public final class Weft {
  /** What a sleeping fiber is parked on, as a dump shows it. */
  private static final Object SLEEP =
      new Object() {
        @Override
        public String toString() {
          return "sleep";
        }
      };

  private Weft() {}

  /**
   * Runs {@code main} as a fiber and waits until it returns, as a Go program's main. It does not
   * wait for the other fibers it started.
   *
   * <pre>{@code
   * Weft.run(() -> {
   *   for (int i = 0; i < 10; i++) Weft.go(() -> work());
   *   Weft.sleep(Duration.ofSeconds(1));
   * });
   * }</pre>
   *
   * <p>From a plain thread it blocks the thread (several threads may run mains at once, on the one
   * shared scheduler); from a fiber it starts {@code main} as a new fiber and suspends the caller
   * until it ends.
   *
   * @throws DeadlockException when {@code main} is blocked and no fiber can ever run again; the
   *     message lists every blocked fiber, what it waits on and where
   * @throws java.util.concurrent.CompletionException wrapping a checked exception thrown by {@code
   *     main}; an unchecked exception or error is rethrown as it is
   */
  @Suspendable
  public static void run(SuspendableRunnable main) {
    if (main == null) {
      throw new NullPointerException("Weft.run needs a body: pass a lambda, not null");
    }
    MainCall.call(new RunBody(main));
  }

  /**
   * {@code main} as the body of the main fiber. A class rather than a lambda: a lambda's class is
   * spun by the JVM at its first use, which costs milliseconds at the start of every program.
   */
  private static final class RunBody implements SuspendableCallable<Void> {
    private final SuspendableRunnable main;

    RunBody(SuspendableRunnable main) {
      this.main = main;
    }

    @Override
    @Suspendable
    public Void call() throws Exception {
      main.run();
      return null;
    }
  }

  /**
   * As {@link #run}, returning {@code main}'s result.
   *
   * <pre>{@code
   * long sum = Weft.call(() -> {
   *   Channel<Long> parts = Channel.make(2);
   *   Weft.go(() -> parts.send(sumOf(left)));
   *   Weft.go(() -> parts.send(sumOf(right)));
   *   return parts.receive() + parts.receive();
   * });
   * }</pre>
   *
   * @throws DeadlockException as {@link #run}
   * @throws java.util.concurrent.CompletionException as {@link #run}
   */
  @Suspendable
  public static <V> V call(SuspendableCallable<V> main) {
    return MainCall.call(main);
  }

  /**
   * Starts a fiber, from a fiber or a plain thread, as Go's {@code go} statement. Started from a
   * fiber, the new fiber runs next on the same worker. An exception escaping it goes to the
   * default uncaught exception handler, or is printed on {@code System.err}; other fibers go on.
   *
   * <pre>{@code
   * Weft.go(() -> results.send(compute()));
   * }</pre>
   *
   * @throws NullPointerException when {@code task} is null
   */
  public static void go(SuspendableRunnable task) {
    if (task == null) {
      throw new NullPointerException("Weft.go needs a task: pass a lambda, not null");
    }
    Fibers.go(task);
  }

  /**
   * Pauses the current fiber for at least {@code d}; its worker runs other fibers meanwhile. On a
   * plain thread it is {@link Thread#sleep}, except that it cannot be interrupted: it sleeps the
   * whole time and then sets the thread's interrupt status again (as Weft's other blocking
   * operations do on plain threads, which have no interruption in Go either). Zero or negative
   * durations return at once.
   *
   * <pre>{@code
   * Weft.sleep(Duration.ofMillis(50));
   * }</pre>
   *
   * @throws NullPointerException when {@code d} is null
   */
  @Suspendable
  public static void sleep(Duration d) {
    if (d == null) {
      throw new NullPointerException("Weft.sleep needs a duration, not null");
    }
    sleepNanos(saturatedNanos(d));
  }

  /**
   * As {@link #sleep(Duration)}, in milliseconds.
   *
   * <pre>{@code
   * Weft.sleep(50);
   * }</pre>
   */
  @Suspendable
  public static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    sleepNanos(millis >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : millis * 1_000_000L);
  }

  @Suspendable
  private static void sleepNanos(long nanos) {
    if (nanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    long deadline = now + nanos;
    if (deadline < now) {
      deadline = Long.MAX_VALUE; // saturate: "forever" must not wrap into the past
    }
    Parker p = Parker.current();
    if (!p.isFiber()) {
      sleepThread(deadline);
      return;
    }
    // One clock read per sleep: the timer counts from the one above, and a park that timed out
    // needs no second look (its timer fired at or after the deadline, so the time has passed).
    if (!p.fiber().parkNanosFrom(SLEEP, nanos, now)) {
      return;
    }
    // A stray permit (from an unpark meant for an earlier wait) may end a park early: loop.
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      if (!p.parkNanos(SLEEP, left)) {
        return;
      }
    }
  }

  private static void sleepThread(long deadline) {
    boolean interrupted = false;
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Yields the worker: the current fiber goes to the back of its worker's run queue and runs
   * again after the fibers queued before it. On a plain thread it is {@link Thread#yield}.
   *
   * <pre>{@code
   * while (!done()) { step(); Weft.gosched(); }
   * }</pre>
   */
  @Suspendable
  public static void gosched() {
    Fiber f = Fiber.current();
    if (f == null) {
      Thread.yield();
      return;
    }
    if (FrameStack.prepareSuspend()) {
      Fibers.commitYield(f);
      FrameStack.suspend();
    } else {
      Thread.yield(); // pinned: the fiber keeps its worker
    }
  }

  /**
   * Go's {@code time.After}: a channel of capacity 1 that receives the time once, after {@code
   * d}. No thread waits for it: the scheduler's timer heap does.
   *
   * <pre>{@code
   * var timeout = Select.receive(Weft.after(Duration.ofSeconds(1)));
   * }</pre>
   *
   * @throws NullPointerException when {@code d} is null
   */
  public static Channel<Instant> after(Duration d) {
    if (d == null) {
      throw new NullPointerException("Weft.after needs a duration, not null");
    }
    Channel<Instant> ch = Channel.make(1);
    Fibers.schedule(saturatedNanos(d), () -> sendTime(ch));
    return ch;
  }

  private static void sendTime(Channel<Instant> ch) {
    try {
      ch.trySend(Instant.now());
    } catch (ChannelClosedException closedByTheCaller) {
      // Nobody wants the time any more: nothing to do, as a stopped Go timer.
    }
  }

  /**
   * Go's {@code time.Tick}: a channel of capacity 1 that receives the time every {@code d}. The
   * time sent is the moment the tick was due. A receiver that falls behind misses ticks: while the
   * last tick is unread, new ones are dropped, never queued and never waited for. Closing the
   * channel stops it, and then no timer work is left behind; so does dropping every reference to
   * it. No thread waits for it: the scheduler's timer heap does.
   *
   * <pre>{@code
   * Channel<Instant> ticks = Weft.tick(Duration.ofSeconds(1));
   * for (int i = 0; i < 3; i++) System.out.println("tick at " + ticks.receive());
   * ticks.close();                                  // stops the timer
   * }</pre>
   *
   * @throws NullPointerException when {@code d} is null
   * @throws IllegalArgumentException when {@code d} is zero or negative
   */
  public static Channel<Instant> tick(Duration d) {
    if (d == null) {
      throw new NullPointerException("Weft.tick needs a duration, not null");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("Weft.tick needs a positive duration, was " + d);
    }
    return Tick.start(saturatedNanos(d));
  }

  /**
   * Waits until {@code stage} completes and returns its value: the bridge from Java's asynchronous
   * APIs ({@code HttpClient.sendAsync}, asynchronous database drivers, {@code CompletableFuture}s
   * from other code) to fiber code. A fiber suspends and holds no worker meanwhile; it is woken by
   * the stage's completion, on whichever thread completes it. On a plain thread it blocks, as
   * {@link CompletableFuture#join} does. A stage that is already complete returns at once.
   *
   * <p>Failures are reported as {@code join} reports them: a stage completed exceptionally throws
   * a {@link java.util.concurrent.CompletionException} whose cause is the failure (a failure that
   * is itself a {@code CompletionException} is thrown as it is), and a cancelled one throws its
   * {@link java.util.concurrent.CancellationException}. Like {@code join}, the wait cannot be
   * interrupted. A fiber awaiting a stage never counts as deadlocked, since anything may complete
   * the stage; a fiber dump shows it as {@code await CompletionStage ...}.
   *
   * <pre>{@code
   * HttpResponse<String> r = Weft.await(client.sendAsync(request, BodyHandlers.ofString()));
   * }</pre>
   *
   * @throws NullPointerException when {@code stage} is null
   */
  @Suspendable
  public static <T> T await(CompletionStage<T> stage) {
    if (stage == null) {
      throw new NullPointerException("Weft.await needs a stage, not null");
    }
    // Exactly CompletableFuture: a subclass may refuse isDone (minimalCompletionStage does).
    if (stage.getClass() == CompletableFuture.class) {
      CompletableFuture<T> f = (CompletableFuture<T>) stage;
      if (f.isDone() && !f.isCompletedExceptionally()) {
        return f.getNow(null); // nothing to wait for, nothing to allocate
      }
    }
    StageWait<T> w = new StageWait<>(stage, Parker.current());
    stage.whenComplete(w); // runs at once when the stage is complete already
    try {
      // A stray permit (from an unpark meant for an earlier wait) may end a park early: loop.
      while (!w.isDone()) {
        w.parker().park(w);
      }
    } catch (UninstrumentedFrameError e) {
      w.abandon();
      throw e;
    }
    return w.result();
  }

  /**
   * The number of workers that run fiber code at once (n, Go's GOMAXPROCS).
   *
   * <pre>{@code
   * int n = Weft.maxProcs();
   * }</pre>
   */
  public static int maxProcs() {
    return Fibers.setMaxProcs(0);
  }

  /**
   * Go's {@code runtime.GOMAXPROCS}: sets n, taking effect at once, and returns the previous value.
   * {@code n < 1} only returns the current value.
   *
   * <pre>{@code
   * int old = Weft.setMaxProcs(1);
   * try { ... } finally { Weft.setMaxProcs(old); }
   * }</pre>
   *
   * @throws IllegalArgumentException when {@code n} is above 10,000
   */
  public static int setMaxProcs(int n) {
    return Fibers.setMaxProcs(n);
  }

  /**
   * The number of live fibers, the ones running a {@code main} included (Go's {@code
   * runtime.NumGoroutine}). A blocked fiber stays alive until it ends.
   *
   * <pre>{@code
   * int before = Weft.numFibers();
   * }</pre>
   */
  public static int numFibers() {
    return Fibers.numFibers();
  }

  /**
   * True when called from a fiber.
   *
   * <pre>{@code
   * if (!Weft.inFiber()) Weft.run(this::serve); else serve();
   * }</pre>
   */
  public static boolean inFiber() {
    return Fiber.current() != null;
  }

  /**
   * A dump of every live fiber: its state, what it waits on and where (its saved frames, or its
   * worker's stack while it runs), like a thread dump.
   *
   * <pre>{@code
   * System.err.println(Weft.dumpFibers());
   * }</pre>
   */
  public static String dumpFibers() {
    return FiberDump.dump();
  }

  /**
   * Prints {@link #dumpFibers()} on {@code out}.
   *
   * <pre>{@code
   * Weft.dumpFibers(System.err);
   * }</pre>
   */
  public static void dumpFibers(PrintStream out) {
    out.println(FiberDump.dump());
  }
}
