package dev.weft.samples;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;

/**
 * A chain of relay fibers joined by unbuffered channels, that can be extended while it runs.
 *
 * <pre>{@code
 * PipelineChain chain = new PipelineChain();
 * chain.extend(1000);
 * long nanos = chain.transit();   // from a fiber
 * chain.shutdown();
 * }</pre>
 *
 * <p>Each stage is one fiber, one channel and the lambda that binds them: nothing else, so the heap
 * it takes is the cost of a parked fiber.
 */
final class PipelineChain {
  /** What goes through: one shared object, so that a hop allocates nothing. */
  private static final Object TOKEN = "token";

  private final Channel<Object> head = Channel.make();
  private Channel<Object> tail = head;
  private int stages;

  /** Number of stages started so far. */
  int stages() {
    return stages;
  }

  /** Starts {@code count} more stages at the end of the chain. */
  void extend(int count) {
    Channel<Object> in = tail;
    for (int i = 0; i < count; i++) {
      Channel<Object> from = in;
      Channel<Object> to = Channel.make();
      Weft.go(() -> relay(from, to));
      in = to;
    }
    tail = in;
    stages += count;
  }

  /**
   * Sends one value in at the head, waits for it at the tail, and returns how long it took.
   *
   * @throws IllegalStateException if something else came out, which would be a runtime bug
   */
  @Suspendable
  long transit() {
    long t0 = System.nanoTime();
    head.send(TOKEN);
    Object out = tail.receive();
    long nanos = System.nanoTime() - t0;
    if (out != TOKEN) {
      throw new IllegalStateException("the pipeline delivered " + out + " instead of its token");
    }
    return nanos;
  }

  /** Closes the head and waits until the close has gone through every stage, so all have ended. */
  @Suspendable
  void shutdown() {
    head.close();
    if (tail.receive() != null) {
      throw new IllegalStateException("a value was left in the pipeline at shutdown");
    }
  }

  /** One stage: passes every value on, then the close. */
  @Suspendable
  private static void relay(Channel<Object> in, Channel<Object> out) {
    for (Object v; (v = in.receive()) != null; ) {
      out.send(v);
    }
    out.close();
  }
}
