package dev.weft;

import dev.weft.core.Parker;
import dev.weft.core.WakeSource;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * One {@link Weft#await}: the completion callback registered on the stage, and the blocker the
 * waiting party parks on, so that a dump says what it awaits. The stage is completed by code
 * outside the scheduler's knowledge (an HTTP client's thread, a driver's, another fiber), so the
 * deadlock detector must always count the waiting fiber as wakeable.
 */
final class StageWait<T> implements BiConsumer<T, Throwable>, WakeSource {
  private final CompletionStage<T> stage;

  /** Whom the callback wakes; null once the wait was abandoned. */
  private volatile Parker parker;

  /** Written before {@link #done}, read after it. */
  private T value;

  private Throwable failure;

  private volatile boolean done;

  StageWait(CompletionStage<T> stage, Parker parker) {
    this.stage = stage;
    this.parker = parker;
  }

  /** The stage's completion callback, on whichever thread completes it (or at once). */
  @Override
  public void accept(T v, Throwable x) {
    value = v;
    failure = x;
    done = true;
    Parker p = parker;
    if (p != null) {
      p.unpark();
    }
  }

  boolean isDone() {
    return done;
  }

  Parker parker() {
    return parker;
  }

  /** The waiting party gives up before parking (an uninstrumented frame): wake nobody later. */
  void abandon() {
    parker = null;
  }

  /** The outcome, as {@link java.util.concurrent.CompletableFuture#join} reports it. */
  T result() {
    Throwable x = failure;
    if (x == null) {
      return value;
    }
    if (x instanceof CancellationException) {
      throw (CancellationException) x;
    }
    if (x instanceof CompletionException) {
      throw (CompletionException) x; // a dependent stage's failure arrives wrapped already
    }
    throw new CompletionException(x);
  }

  /** Always: any fiber or thread may hold the stage and complete it, unseen by the scheduler. */
  @Override
  public boolean plainThreadInvolved() {
    return true;
  }

  /** For example {@code await CompletionStage java.util.concurrent.CompletableFuture@1b6d3586}. */
  @Override
  public String toString() {
    return "await CompletionStage "
        + stage.getClass().getName()
        + "@"
        + Integer.toHexString(System.identityHashCode(stage));
  }
}
