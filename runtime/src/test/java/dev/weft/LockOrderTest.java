package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The global order select locks channels in: identity hash, and a serial for hashes that tie. */
@Timeout(60)
class LockOrderTest {
  @Test
  void theOrderIsTotalAntisymmetricAndStable() {
    List<Channel<Object>> chans = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      chans.add(Channel.make());
    }
    for (Channel<Object> a : chans) {
      assertEquals(0, LockOrder.compare(a, a));
      for (Channel<Object> b : chans) {
        if (a != b) {
          int ab = LockOrder.compare(a, b);
          assertNotEquals(0, ab, "two channels never compare equal");
          assertEquals(-Integer.signum(ab), Integer.signum(LockOrder.compare(b, a)));
          assertEquals(ab, LockOrder.compare(a, b), "the order does not change");
        }
      }
    }
  }

  @Test
  void channelsWhoseHashesTieAreOrderedBySerial() {
    // Identity hashes cannot be made to tie; the tie-break is called as lockAll calls it.
    Channel<Object> a = Channel.make();
    Channel<Object> b = Channel.make();
    int ab = LockOrder.compare(a, 7, b, 7);
    assertNotEquals(0, ab);
    assertEquals(-ab, LockOrder.compare(b, 7, a, 7));
    assertEquals(ab, LockOrder.compare(a, 7, b, 7));
    assertTrue(LockOrder.Ties.serial(a) != LockOrder.Ties.serial(b));
  }

  @Test
  void selectsOverTheSameChannelsInOppositeOrdersDoNotDeadlock() {
    // Small (minimum search) and large (sorted) selects, each pair listing its channels in
    // opposite orders, racing on two workers.
    for (int size : new int[] {2, 5, 12}) {
      List<Channel<Integer>> chans = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        chans.add(Channel.make(1));
      }
      int rounds = 2_000;
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () ->
              Weft.run(
                  () -> {
                    WaitGroup wg = new WaitGroup();
                    for (int side = 0; side < 2; side++) {
                      boolean reversed = side == 1;
                      wg.add(1);
                      Weft.go(
                          () -> {
                            Select.Case<?>[] cases = new Select.Case<?>[size];
                            for (int i = 0; i < size; i++) {
                              Channel<Integer> ch = chans.get(reversed ? size - 1 - i : i);
                              cases[i] = i % 2 == 0 ? Select.send(ch, i) : Select.receive(ch);
                            }
                            for (int r = 0; r < rounds; r++) {
                              Select.trySelect(cases);
                            }
                            wg.done();
                          });
                    }
                    wg.await();
                  }));
    }
  }
}
