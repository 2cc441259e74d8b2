package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Among ready cases, select chooses uniformly at random. Each count must fall within six standard
 * deviations of its expectation: a correct select fails this about once in a few hundred million
 * runs, while a select biased towards any position fails it every time.
 */
class SelectFairnessTest {
  private static final int ROUNDS = 20_000;

  @ParameterizedTest(name = "{0} ready cases")
  @ValueSource(ints = {2, 3, 4, 7})
  void everyReadyCaseIsChosenEquallyOften(int n) {
    Channel<Integer>[] chans = ready(n);
    Select.Case<?>[] cases = receiveCases(chans);
    int[] hits = new int[n];
    for (int round = 0; round < ROUNDS; round++) {
      int k = Select.select(cases);
      hits[k]++;
      chans[k].send(k); // keep every case ready
    }
    assertUniform(hits);
  }

  @Test
  void trySelectIsFairToo() {
    Channel<Integer>[] chans = ready(3);
    Select.Case<?>[] cases = receiveCases(chans);
    int[] hits = new int[3];
    for (int round = 0; round < ROUNDS; round++) {
      int k = Select.trySelect(cases);
      hits[k]++;
      chans[k].send(k);
    }
    assertUniform(hits);
  }

  @Test
  void onlyReadyCasesShareTheChoice() {
    // Cases 0 and 2 are never ready: cases 1 and 3 split the choices evenly.
    Channel<Integer>[] chans = ready(4);
    chans[0].receive();
    chans[2].receive();
    Select.Case<?>[] cases = receiveCases(chans);
    int[] hits = new int[4];
    for (int round = 0; round < ROUNDS; round++) {
      int k = Select.trySelect(cases);
      hits[k]++;
      chans[k].send(k);
    }
    assertTrue(hits[0] == 0 && hits[2] == 0, Arrays.toString(hits));
    assertUniform(new int[] {hits[1], hits[3]});
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void aFiberSelectsFairly(int procs) {
    atProcs(
        procs,
        () -> {
          int[] hits = new int[2];
          Weft.run(
              () -> {
                Channel<Integer>[] chans = ready(2);
                Select.Case<?>[] cases = receiveCases(chans);
                for (int round = 0; round < ROUNDS; round++) {
                  int k = Select.select(cases);
                  hits[k]++;
                  chans[k].send(k);
                }
              });
          assertUniform(hits);
        });
  }

  private static void assertUniform(int[] hits) {
    int total = Arrays.stream(hits).sum();
    double p = 1.0 / hits.length;
    double expected = total * p;
    double sigma = Math.sqrt(total * p * (1 - p));
    for (int h : hits) {
      assertTrue(
          Math.abs(h - expected) <= 6 * sigma,
          "counts " + Arrays.toString(hits) + " stray from " + expected + " by over 6 sigma");
    }
  }

  @SuppressWarnings("unchecked")
  private static Channel<Integer>[] ready(int n) {
    Channel<Integer>[] chans = new Channel[n];
    for (int i = 0; i < n; i++) {
      chans[i] = Channel.make(1);
      chans[i].trySend(i);
    }
    return chans;
  }

  private static Select.Case<?>[] receiveCases(Channel<Integer>[] chans) {
    Select.Case<?>[] cases = new Select.Case<?>[chans.length];
    for (int i = 0; i < chans.length; i++) {
      cases[i] = Select.receive(chans[i]);
    }
    return cases;
  }
}
