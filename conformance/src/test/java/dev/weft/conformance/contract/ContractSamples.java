package dev.weft.conformance.contract;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.SuspendableFunction;
import dev.weft.Weft;

/**
 * Suspendable methods of every kind the rewriter treats differently, so that rewriting this class
 * makes the agent emit each part of the frame-stack contract at least once: entry and exit of
 * static, instance and interface methods, loop back-edges, handlers, monitors, values of every
 * type under calls, lambdas and method references.
 */
final class ContractSamples {
  interface Source {
    @Suspendable
    long next(int i);
  }

  /** Gives the class a static initialiser, which the rewrite guards. */
  static final long STARTED = System.nanoTime();

  private final Channel<Integer> channel = Channel.make(1);
  private final Object lock = new Object();

  @Suspendable
  static int loop(int n) {
    int sum = 0;
    for (int i = 0; i < n; i++) {
      Weft.gosched();
      sum += i;
    }
    return sum;
  }

  @Suspendable
  double mixed(byte b, short s, char c, int i, long l, float f, double d, Object o, int[] a) {
    channel.send(i);
    return b + s + c + l + f + d + o.hashCode() + a.length + channel.receive();
  }

  @Suspendable
  String handler(Source source) {
    try {
      return "value " + source.next(3);
    } catch (IllegalStateException e) {
      return "caught " + e.getMessage();
    } finally {
      Weft.gosched();
    }
  }

  @Suspendable
  int pinned() {
    synchronized (lock) {
      Weft.sleep(1);
      return 1;
    }
  }

  @Suspendable
  static int viaFunction(int base) throws Exception {
    SuspendableFunction<Integer, Integer> add = x -> x + loop(2);
    SuspendableFunction<Integer, Integer> ref = ContractSamples::loop;
    return add.apply(base) + ref.apply(base);
  }

  @Suspendable
  long operandStack(Source source) {
    return 1L + source.next(1) * Math.max(2, loop(3));
  }
}
