package dev.weft.core;

import static dev.weft.core.ParkerTest.atProcs;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.WaitGroup;
import dev.weft.Weft;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fiber that ends without a failure costs its worker no allocation: its name, which only an
 * uncaught failure's report prints, is not built (it was, for every fiber: a string per fiber, and
 * the string-building code for the JIT to compile while a program's first fibers run).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FiberEndTest {

  @Test
  void aFiberEndingWithoutAFailureAllocatesNothingOnItsWorker() {
    // Stress yields (a checking mode of the suite) allocate on every drawn yield by design.
    assumeTrue(System.getProperty("weft.stress.yield") == null, "not under stress yields");
    // Rounds of 200 fibers: below the burst after which the registry gives its chunks back (and
    // grows them again in the next round), which is an allocation of its own, not this one.
    int fibers = 200;
    int warmUpRounds = 50;
    int rounds = 50;
    long[] perFiber = new long[1];
    atProcs(
        1,
        () ->
            Weft.run(
                () -> {
                  long measured = 0;
                  for (int round = 0; round < warmUpRounds + rounds; round++) {
                    WaitGroup ended = new WaitGroup();
                    ended.add(fibers);
                    for (int i = 0; i < fibers; i++) {
                      Weft.go(ended::done); // queued behind this fiber: at one proc none runs yet
                    }
                    // What the worker allocates from here on is the fibers' running and ending
                    // (and this fiber's one park and resume), not their creation.
                    long before = WorkerAllocations.bytes();
                    ended.await();
                    if (round >= warmUpRounds) {
                      measured += WorkerAllocations.bytes() - before;
                    }
                  }
                  perFiber[0] = measured / ((long) rounds * fibers);
                }));
    // The name was "fiber-" and the slot: a builder, a string and their arrays, about 100 bytes.
    assertTrue(perFiber[0] < 8, perFiber[0] + " bytes allocated per fiber run and ended");
  }
}
