package dev.weft.bench.compare;

import dev.weft.Channel;
import dev.weft.Select;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.samples.Options;
import dev.weft.samples.UsageException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Channels under contention, the programs of the scaling comparison: messages received per second
 * by one consumer.
 *
 * <ul>
 *   <li>{@code fanin}: four producers send on one channel buffered to 128 values, one consumer
 *       receives. Threads use an {@link ArrayBlockingQueue} of the same capacity.
 *   <li>{@code select}: two producers, each on its own unbuffered channel; the consumer selects
 *       between the two (Weft and Go only: threads have no select).
 * </ul>
 *
 * <p>Each run warms up, then measures {@code --rounds} rounds of {@code --seconds} and reports the
 * median rate (and the others, for the log).
 *
 * <pre>{@code
 * java -javaagent:weft-agent.jar -cp weft-bench.jar dev.weft.bench.compare.Compare fanin weft \
 *     --procs 2 --seconds 2
 * }</pre>
 */
final class ContendedBench {
  static final int PRODUCERS = 4;
  static final int CAPACITY = 128;

  /** A cached box: the payload costs nothing to make, as Go's int. */
  private static final Integer ONE = 1;

  private ContendedBench() {}

  static ResultLine run(String workload, BenchSystem system, Options o)
      throws UsageException, InterruptedException {
    double seconds = o.decimal("seconds", 2, 0.1);
    double warmup = o.decimal("warmup", 1, 0);
    int rounds = o.integer("rounds", 3, 1);
    PaddedCounter received = new PaddedCounter();
    Stop stop = new Stop();
    if (system.isWeft()) {
      if (workload.equals("fanin")) {
        startWeftFanIn(received, stop);
      } else {
        startWeftSelect(received, stop);
      }
    } else if (workload.equals("fanin")) {
      startThreadFanIn(system.threads, received, stop);
    } else {
      throw new UsageException("select runs on weft only: Java threads have no select");
    }
    double[] rates = Rounds.measure(received, seconds, warmup, rounds);
    stop.request();
    return Rounds.line(workload, system.toString(), rates);
  }

  private static void startWeftFanIn(PaddedCounter received, Stop stop) {
    Channel<Integer> ch = Channel.make(CAPACITY);
    for (int i = 0; i < PRODUCERS; i++) {
      Weft.go(() -> produce(ch, stop));
    }
    Weft.go(() -> consume(ch, received));
  }

  @Suspendable
  private static void produce(Channel<Integer> ch, Stop stop) {
    while (!stop.requested()) {
      ch.send(ONE);
    }
  }

  @Suspendable
  private static void consume(Channel<Integer> ch, PaddedCounter received) {
    long n = 0;
    while (ch.receive() != null) {
      received.set(++n);
    }
  }

  private static void startWeftSelect(PaddedCounter received, Stop stop) {
    Channel<Integer> a = Channel.make();
    Channel<Integer> b = Channel.make();
    Weft.go(() -> produce(a, stop));
    Weft.go(() -> produce(b, stop));
    Weft.go(() -> selectBoth(a, b, received));
  }

  @Suspendable
  private static void selectBoth(Channel<Integer> a, Channel<Integer> b, PaddedCounter received) {
    Select.Case<Integer> fromA = Select.receive(a);
    Select.Case<Integer> fromB = Select.receive(b);
    long n = 0;
    for (; ; ) {
      Select.select(fromA, fromB);
      received.set(++n);
    }
  }

  private static void startThreadFanIn(ThreadKind kind, PaddedCounter received, Stop stop) {
    BlockingQueue<Integer> q = new ArrayBlockingQueue<>(CAPACITY);
    for (int i = 0; i < PRODUCERS; i++) {
      kind.start(
          () -> {
            try {
              while (!stop.requested()) {
                q.put(ONE);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    kind.start(
        () -> {
          try {
            long n = 0;
            for (; ; ) {
              q.take();
              received.set(++n);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /** Set once by the main thread, read on every send; on a cache line of its own. */
  static final class Stop {
    private final PaddedCounter flag = new PaddedCounter();

    boolean requested() {
      return flag.get() != 0;
    }

    void request() {
      flag.set(1);
    }
  }
}
