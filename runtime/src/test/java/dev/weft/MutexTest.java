package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static dev.weft.SyncTestKit.awaitCondition;
import static dev.weft.SyncTestKit.joinAll;
import static dev.weft.SyncTestKit.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.SyncTestKit.Party;
import dev.weft.SyncTestKit.Side;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's sync.Mutex, from fibers and plain threads. */
class MutexTest {

  /** State only ever touched under the mutex: plain fields, checked for lost updates. */
  private static final class Guarded {
    long counter;
    int inside;
  }

  @ParameterizedTest(name = "maxprocs={0} sides={1}/{2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void excludesEveryOtherPartyEvenAcrossASuspension(int procs, Side a, Side b) {
    atProcs(
        procs,
        () -> {
          Mutex mu = new Mutex();
          Guarded g = new Guarded();
          int perParty = 3_000;
          SuspendableRunnable body =
              () -> {
                for (int i = 0; i < perParty; i++) {
                  mu.lock();
                  g.inside++;
                  if (g.inside != 1) {
                    throw new AssertionError(g.inside + " parties inside the mutex");
                  }
                  if (i % 100 == 0) {
                    // Suspend (or yield) while holding it: the others must still stay out.
                    Weft.gosched();
                  }
                  g.counter++;
                  g.inside--;
                  mu.unlock();
                }
              };
          Party p0 = start(a, body);
          Party p1 = start(b, body);
          Party p2 = start(Side.FIBER, body);
          Party p3 = start(a, body);
          joinAll(p0, p1, p2, p3);
          assertEquals(4L * perParty, g.counter);
          assertTrue(mu.tryLock(), "left unlocked");
        });
  }

  @Test
  void tryLockNeverWaits() {
    Mutex mu = new Mutex();
    assertTrue(mu.tryLock());
    assertFalse(mu.tryLock(), "not reentrant");
    mu.unlock();
    assertTrue(mu.tryLock());
    mu.unlock();
  }

  @Test
  void unlockingAnUnlockedMutexThrowsAndLeavesItUsable() {
    Mutex mu = new Mutex();
    IllegalStateException e = assertThrows(IllegalStateException.class, mu::unlock);
    assertTrue(e.getMessage().contains("unlocked"), e.getMessage());
    mu.lock();
    mu.unlock();
    assertThrows(IllegalStateException.class, mu::unlock);
    assertTrue(mu.tryLock());
    mu.unlock();
  }

  @ParameterizedTest(name = "maxprocs={0} locker={1} unlocker={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void anotherPartyMayUnlock(int procs, Side locker, Side unlocker) {
    atProcs(
        procs,
        () -> {
          Mutex mu = new Mutex();
          start(locker, mu::lock).join();
          start(unlocker, mu::unlock).join();
          assertTrue(mu.tryLock());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} waiters={1}/{2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void everyWaitingLockerGetsItsTurn(int procs, Side a, Side b) {
    atProcs(
        procs,
        () -> {
          Mutex mu = new Mutex();
          mu.lock();
          int[] turns = new int[1];
          SuspendableRunnable takeTurn =
              () -> {
                mu.lock();
                turns[0]++;
                mu.unlock();
              };
          Party w0 = start(a, takeTurn);
          Party w1 = start(b, takeTurn);
          Party w2 = start(a, takeTurn);
          awaitCondition(() -> mu.waitingLockers() == 3);
          assertEquals(0, turns[0]);
          mu.unlock();
          joinAll(w0, w1, w2);
          assertEquals(3, turns[0]);
          assertEquals(0, mu.waitingLockers());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} side={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void aWaiterThatLostARaceIsHandedTheMutexNext(int procs, Side side) {
    atProcs(
        procs,
        () -> {
          // The test thread unlocks and at once re-locks, barging ahead of the woken waiter if
          // it can; the waiter then re-queues and must be handed the mutex on the next unlock.
          // Once in, the waiter keeps the mutex until released, so a hand-off is observable.
          Mutex mu = new Mutex();
          mu.lock();
          AtomicBoolean gotIn = new AtomicBoolean();
          Channel<Boolean> release = Channel.make(1);
          Party waiter =
              start(
                  side,
                  () -> {
                    mu.lock();
                    gotIn.set(true);
                    release.receive();
                    mu.unlock();
                  });
          awaitCondition(() -> mu.waitingLockers() == 1);
          mu.unlock();
          if (mu.tryLock()) {
            // Barged: the waiter was woken but cannot be in; it re-queues, first in line.
            assertFalse(gotIn.get());
            awaitCondition(() -> mu.waitingLockers() == 1);
            mu.unlock();
            assertFalse(mu.tryLock(), "a waiter that lost once is handed the mutex directly");
          }
          release.send(true);
          waiter.join();
          assertTrue(gotIn.get());
        });
  }

  @Test
  void toStringShowsTheState() {
    Mutex mu = new Mutex();
    assertTrue(mu.toString().startsWith("Mutex[unlocked]@"), mu.toString());
    mu.lock();
    assertTrue(mu.toString().startsWith("Mutex[locked]@"), mu.toString());
  }

  @Test
  void anUninstrumentedCallerFailsTheLockAndLeavesNoWaiterBehind() throws Throwable {
    Mutex mu = new Mutex();
    mu.lock();
    Party p =
        start(
            Side.FIBER,
            () -> {
              Runnable plain = mu::lock;
              assertThrows(UninstrumentedFrameError.class, plain::run);
              assertEquals(0, mu.waitingLockers());
            });
    p.join();
    mu.unlock();
    assertTrue(mu.tryLock(), "the failed locker does not hold the mutex");
    assertTrue(mu.toString().startsWith("Mutex[locked]@"), "and left no waiter flag behind");
  }
}
