package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static dev.weft.SyncTestKit.joinAll;
import static dev.weft.SyncTestKit.start;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.SyncTestKit.Party;
import dev.weft.SyncTestKit.Side;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many fibers (and a few plain threads) moving many messages through channels, select, a mutex and
 * a wait group; every message is accounted for by a checksum. Sized to finish in seconds.
 */
class ChannelStressTest {

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void fanInFanOutThroughAnUnbufferedChannel(int procs) {
    fanInFanOut(procs, 0);
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void fanInFanOutThroughABufferedChannel(int procs) {
    fanInFanOut(procs, 16);
  }

  private static void fanInFanOut(int procs, int capacity) {
    atProcs(
        procs,
        () -> {
          int producers = 100;
          int consumers = 50;
          int perProducer = 1_000;
          Channel<Long> work = Channel.make(capacity);
          WaitGroup produced = new WaitGroup();
          AtomicLong sum = new AtomicLong();
          AtomicLong count = new AtomicLong();
          produced.add(producers);
          Party[] parties = new Party[producers + consumers];
          for (int p = 0; p < producers; p++) {
            long base = (long) p * perProducer;
            parties[p] =
                start(
                    p % 50 == 0 ? Side.THREAD : Side.FIBER,
                    () -> {
                      for (int i = 0; i < perProducer; i++) {
                        work.send(base + i);
                      }
                      produced.done();
                    });
          }
          for (int c = 0; c < consumers; c++) {
            parties[producers + c] =
                start(
                    c % 25 == 0 ? Side.THREAD : Side.FIBER,
                    () -> {
                      long mySum = 0;
                      long myCount = 0;
                      for (Long v; (v = work.receive()) != null; ) {
                        mySum += v;
                        myCount++;
                      }
                      sum.addAndGet(mySum);
                      count.addAndGet(myCount);
                    });
          }
          produced.await();
          work.close();
          joinAll(parties);
          long n = (long) producers * perProducer;
          assertEquals(n, count.get());
          assertEquals(n * (n - 1) / 2, sum.get());
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void aLongPipelineOfFibers(int procs) {
    atProcs(
        procs,
        () -> {
          int stages = 500;
          int values = 1_000;
          Channel<Integer> first = Channel.make();
          Channel<Integer> in = first;
          for (int s = 0; s < stages; s++) {
            Channel<Integer> from = in;
            Channel<Integer> to = Channel.make();
            Weft.go(
                () -> {
                  for (Integer v; (v = from.receive()) != null; ) {
                    to.send(v + 1);
                  }
                  to.close();
                });
            in = to;
          }
          Channel<Integer> last = in;
          Party feeder =
              start(
                  Side.FIBER,
                  () -> {
                    for (int i = 0; i < values; i++) {
                      first.send(i);
                    }
                    first.close();
                  });
          long sum = 0;
          int count = 0;
          for (Integer v; (v = last.receive()) != null; ) {
            assertEquals(count + stages, v, "values arrive in order, each stage adding one");
            sum += v;
            count++;
          }
          feeder.join();
          assertEquals(values, count);
          assertEquals((long) values * (values - 1) / 2 + (long) values * stages, sum);
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void selectsMultiplexManySourcesIntoOneSink(int procs) {
    atProcs(
        procs,
        () -> {
          int sources = 8;
          int selectors = 6;
          int perSource = 3_000;
          Channel<Integer>[] src = newChannels(sources, 2);
          Channel<Integer> sink = Channel.make();
          Channel<Boolean> quit = Channel.make();
          for (int s = 0; s < sources; s++) {
            Channel<Integer> out = src[s];
            int base = s * perSource;
            Weft.go(
                () -> {
                  for (int i = 0; i < perSource; i++) {
                    out.send(base + i);
                  }
                });
          }
          Party[] muxes = new Party[selectors];
          for (int m = 0; m < selectors; m++) {
            muxes[m] =
                start(
                    m == 0 ? Side.THREAD : Side.FIBER,
                    () -> {
                      Select.Case<?>[] cases = new Select.Case<?>[sources + 1];
                      for (int s = 0; s < sources; s++) {
                        cases[s] = Select.receive(src[s]);
                      }
                      cases[sources] = Select.receive(quit);
                      for (int k; (k = Select.select(cases)) < sources; ) {
                        // Forward with a select too: a send case racing a quit.
                        var forward = Select.send(sink, (Integer) cases[k].value());
                        var stop = Select.receive(quit);
                        if (Select.select(forward, stop) == 1) {
                          throw new AssertionError("quit before every value was forwarded");
                        }
                      }
                    });
          }
          int total = sources * perSource;
          long sum = 0;
          for (int i = 0; i < total; i++) {
            sum += sink.receive();
          }
          quit.close();
          joinAll(muxes);
          assertEquals((long) total * (total - 1) / 2, sum);
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void manyLockersShareOneMutex(int procs) {
    atProcs(
        procs,
        () -> {
          Mutex mu = new Mutex();
          WaitGroup wg = new WaitGroup();
          long[] counter = {0};
          int parties = 200;
          int each = 500;
          wg.add(parties);
          for (int p = 0; p < parties; p++) {
            start(
                p % 100 == 0 ? Side.THREAD : Side.FIBER,
                () -> {
                  for (int i = 0; i < each; i++) {
                    mu.lock();
                    counter[0]++;
                    if (i % 50 == 0) {
                      Weft.gosched();
                    }
                    mu.unlock();
                  }
                  wg.done();
                });
          }
          wg.await();
          mu.lock();
          assertEquals((long) parties * each, counter[0]);
          mu.unlock();
        });
  }

  @SuppressWarnings("unchecked")
  private static Channel<Integer>[] newChannels(int n, int capacity) {
    Channel<Integer>[] chans = new Channel[n];
    for (int i = 0; i < n; i++) {
      chans[i] = Channel.make(capacity);
    }
    return chans;
  }
}
