package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import org.junit.jupiter.api.Test;

/**
 * Suspending while a {@code synchronized} monitor is held pins the fiber: it blocks its worker
 * thread instead of unwinding (a monitor cannot move to another thread). The fiber must still
 * complete correctly, other fibers must keep running meanwhile (the scheduler adds a compensating
 * worker, which these tests need: they run at maxprocs 1), and the monitor must stay held by the
 * pinned fiber's thread throughout, as another fiber checks while it waits.
 */
class SynchronizedShapeTest extends ShapeTest {

  /** True when thread {@code t} holds the monitor of {@code lock} right now. */
  static boolean monitorHeldBy(Object lock, Thread t) {
    ThreadInfo info =
        ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {t.getId()}, true, false)[0];
    if (info == null) {
      return false;
    }
    for (MonitorInfo m : info.getLockedMonitors()) {
      if (m.getIdentityHashCode() == System.identityHashCode(lock)
          && m.getClassName().equals(lock.getClass().getName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Starts a fiber that waits for the pinned fiber to announce its thread, checks from outside
   * that the thread holds {@code lock}, reports that, and wakes the pinned fiber with {@code
   * value}.
   */
  private static void startChecker(
      Object lock, Channel<Thread> announce, Channel<String> report, Channel<String> wake,
      String value) {
    Weft.go(
        () -> {
          Thread holder = announce.receive();
          report.send(monitorHeldBy(lock, holder) ? "held" : "not held");
          wake.send(value);
        });
  }

  @Test
  void suspensionsInsideASynchronizedBlock() {
    Fibers.run(
        () -> {
          Object lock = new Object();
          Channel<Thread> announce = Channel.make(1);
          Channel<String> report = Channel.make(1);
          Channel<String> wake = Channel.make();
          long wide = 1L << 50;
          double d = -0.5;
          String got;
          startChecker(lock, announce, report, wake, "woken");
          synchronized (lock) {
            Thread mine = Thread.currentThread();
            announce.send(mine); // buffered with room: does not block
            got = wake.receive(); // pins: the checker runs on another worker meanwhile
            assertSame(mine, Thread.currentThread());
            assertTrue(Thread.holdsLock(lock));
            Weft.gosched(); // pinned too: yields the thread, keeps the monitor
            Weft.sleep(1);
            assertSame(mine, Thread.currentThread());
            assertTrue(Thread.holdsLock(lock));
          }
          assertEquals("woken", got);
          assertEquals("held", report.receive());
          assertEquals(1L << 50, wide);
          assertEquals(-0.5, d);
          Pause.here(); // out of the block, suspensions unwind again
          Pause.sleep();
          assertEquals(1L << 50, wide);
        });
  }

  /** Holds its own monitor while it waits. */
  static final class Account {
    private long balance = 100;

    @Suspendable
    synchronized long depositFrom(Channel<Long> source, Channel<Thread> announce) {
      Thread mine = Thread.currentThread();
      announce.send(mine);
      long before = balance;
      long amount = source.receive(); // pins on this
      assertSame(mine, Thread.currentThread());
      assertTrue(Thread.holdsLock(this));
      balance = before + amount;
      return balance;
    }
  }

  @Test
  void suspensionInsideASynchronizedMethod() {
    Fibers.run(
        () -> {
          Account account = new Account();
          Channel<Thread> announce = Channel.make(1);
          Channel<Long> source = Channel.make();
          Channel<String> report = Channel.make(1);
          Weft.go(
              () -> {
                Thread holder = announce.receive();
                report.send(monitorHeldBy(account, holder) ? "held" : "not held");
                source.send(Pause.j(23L));
              });
          assertEquals(123L, account.depositFrom(source, announce));
          assertEquals("held", report.receive());
          Pause.here();
        });
  }

  @Suspendable
  private static String receiveDeeper(Channel<String> ch, int depth) {
    if (depth > 0) {
      return receiveDeeper(ch, depth - 1) + depth;
    }
    return ch.receive();
  }

  @Test
  void aSuspendableCallDeeperInsideTheBlockPinsToo() {
    Fibers.run(
        () -> {
          Object lock = new Object();
          Channel<Thread> announce = Channel.make(1);
          Channel<String> report = Channel.make(1);
          Channel<String> wake = Channel.make();
          startChecker(lock, announce, report, wake, "deep");
          String got;
          synchronized (lock) {
            announce.send(Thread.currentThread());
            got = receiveDeeper(wake, 3); // the monitor is held three frames up
          }
          assertEquals("deep123", got);
          assertEquals("held", report.receive());
          assertEquals("x3", receiveDeeperUnpinned(3)); // and unwinds again outside the block
        });
  }

  @Suspendable
  private static String receiveDeeperUnpinned(int depth) {
    if (depth > 0) {
      return receiveDeeperUnpinned(depth - 1) + (depth == 3 ? "3" : "");
    }
    return Pause.ref("x");
  }

  @Test
  void severalFibersPinnedAtOnceWhileOthersRun() {
    Fibers.run(
        () -> {
          int n = 3;
          Channel<String> done = Channel.make();
          Channel<Integer> go = Channel.make();
          for (int k = 0; k < n; k++) {
            int id = k;
            Object lock = new Object();
            Weft.go(
                () -> {
                  synchronized (lock) {
                    int v = go.receive(); // each pins its own worker
                    assertTrue(Thread.holdsLock(lock));
                    done.send("f" + id + "=" + v);
                  }
                });
          }
          long sum = 0;
          for (int k = 0; k < n; k++) {
            go.send(k * 10);
            Pause.here(); // the main fiber keeps unwinding normally meanwhile
          }
          for (int k = 0; k < n; k++) {
            String s = done.receive();
            sum += Integer.parseInt(s.substring(s.indexOf('=') + 1));
          }
          assertEquals(0 + 10 + 20, sum);
        });
  }

  @Test
  void aBlockWithoutSuspensionsPinsNothing() {
    Fibers.run(
        () -> {
          Object lock = new Object();
          int counter = 0;
          for (int k = 0; k < 3; k++) {
            synchronized (lock) {
              counter++;
            }
            Pause.here(); // unwinds: the monitor was released before the call
            counter += Pause.i(10);
          }
          assertEquals(33, counter);
        });
  }
}
