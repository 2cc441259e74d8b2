package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The run queues and the registry, on their own (no fiber runs here). */
class QueuesTest {
  private static Fiber fiber() {
    return new Fiber(() -> {});
  }

  @Test
  void runNextRunsBeforeTheRingAndDisplacesTheOldOneToTheTail() {
    RunQueue q = new RunQueue();
    GlobalQueue g = new GlobalQueue();
    Fiber a = fiber();
    Fiber b = fiber();
    Fiber c = fiber();
    q.put(a, false, g);
    q.put(b, true, g);
    q.put(c, true, g); // b goes to the ring's tail
    assertEquals(3, q.size());
    assertSame(c, q.take(false));
    assertSame(a, q.take(false));
    assertSame(b, q.take(false));
    assertNull(q.take(false));
    assertTrue(q.isEmpty());
  }

  @Test
  void ringFirstTakesTheRingBeforeRunNext() {
    RunQueue q = new RunQueue();
    GlobalQueue g = new GlobalQueue();
    Fiber a = fiber();
    Fiber b = fiber();
    q.put(a, false, g);
    q.put(b, true, g);
    assertSame(a, q.take(true));
    assertSame(b, q.take(true));
  }

  @Test
  void aFullRingSpillsHalfToTheGlobalQueueInOrder() {
    RunQueue q = new RunQueue();
    GlobalQueue g = new GlobalQueue();
    Fiber[] fs = new Fiber[RunQueue.CAPACITY + 1];
    for (int i = 0; i < fs.length; i++) {
      fs[i] = fiber();
      q.put(fs[i], false, g);
    }
    assertEquals(RunQueue.CAPACITY / 2 + 1, g.size());
    assertEquals(RunQueue.CAPACITY / 2, q.size());
    // The oldest half went to the global queue, then the one that did not fit.
    Worker taker = new Worker(Scheduler.get(), 9999, 0);
    for (int i = 0; i < RunQueue.CAPACITY / 2; i++) {
      assertSame(fs[i], g.take(taker, 1, 1));
    }
    assertSame(fs[RunQueue.CAPACITY], g.take(taker, 1, 1));
    assertSame(fs[RunQueue.CAPACITY / 2], q.take(false));
  }

  @Test
  void aFullRingSpillsWithoutAllocating() throws Exception {
    RunQueue q = new RunQueue();
    GlobalQueue g = new GlobalQueue();
    Worker taker = new Worker(Scheduler.get(), 9998, 0);
    Fiber[] fs = new Fiber[RunQueue.CAPACITY + 1];
    for (int i = 0; i < fs.length; i++) {
      fs[i] = fiber();
    }
    int rounds = 2_000;
    long tid = Thread.currentThread().getId();
    long before = 0;
    for (int r = 0; r < 2 * rounds; r++) {
      if (r == rounds) {
        before = allocatedBytes(tid); // the first half warms up, and grows the global queue
      }
      for (Fiber f : fs) {
        q.put(f, false, g); // the last one spills half of the ring
      }
      while (q.take(false) != null) {}
      while (g.take(taker, 1, 1) != null) {}
    }
    long perSpill = (allocatedBytes(tid) - before) / rounds;
    assertTrue(perSpill < 16, perSpill + " bytes allocated per spill");
  }

  /** HotSpot's per-thread allocation counter (com.sun.management, read reflectively). */
  private static long allocatedBytes(long threadId) throws ReflectiveOperationException {
    Object bean = java.lang.management.ManagementFactory.getThreadMXBean();
    java.lang.reflect.Method m =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getThreadAllocatedBytes", long.class);
    return (Long) m.invoke(bean, threadId);
  }

  @Test
  void stealingTakesHalfAndReturnsOneToRun() {
    RunQueue victim = new RunQueue();
    RunQueue thief = new RunQueue();
    GlobalQueue g = new GlobalQueue();
    for (int i = 0; i < 10; i++) {
      victim.put(fiber(), false, g);
    }
    Fiber f = victim.stealInto(thief, false);
    assertNotNull(f);
    assertEquals(5, victim.size());
    assertEquals(4, thief.size());
  }

  @Test
  void runNextIsStolenOnlyWhenAllowed() {
    RunQueue victim = new RunQueue();
    RunQueue thief = new RunQueue();
    Fiber a = fiber();
    victim.put(a, true, new GlobalQueue());
    assertNull(victim.stealInto(thief, false));
    assertSame(a, victim.stealInto(thief, true));
    assertTrue(victim.isEmpty());
  }

  @Test
  void concurrentThievesNeverLoseOrDuplicateAFiber() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          RunQueue owner = new RunQueue();
          GlobalQueue g = new GlobalQueue();
          int total = 200_000;
          Set<Fiber> seen = ConcurrentHashMap.newKeySet();
          AtomicBoolean done = new AtomicBoolean();
          Thread thief =
              new Thread(
                  () -> {
                    RunQueue mine = new RunQueue();
                    while (!done.get() || !owner.isEmpty()) {
                      Fiber f = owner.stealInto(mine, true);
                      if (f != null) {
                        assertTrue(seen.add(f));
                      }
                      for (Fiber m; (m = mine.take(false)) != null; ) {
                        assertTrue(seen.add(m));
                      }
                    }
                  });
          thief.start();
          for (int i = 0; i < total; i++) {
            owner.put(fiber(), (i & 1) == 0, g);
            if ((i & 3) == 0) {
              Fiber f = owner.take(false);
              if (f != null) {
                assertTrue(seen.add(f));
              }
            }
          }
          done.set(true);
          thief.join();
          Worker taker = new Worker(Scheduler.get(), 9998, 0);
          for (Fiber f; (f = g.take(taker, 1, 1)) != null; ) {
            assertTrue(seen.add(f));
          }
          for (Fiber f; (f = taker.runq.take(false)) != null; ) {
            assertTrue(seen.add(f));
          }
          assertEquals(total, seen.size());
        });
  }

  @Test
  void theGlobalQueueGrowsAndHandsOutAFairShare() {
    GlobalQueue g = new GlobalQueue();
    for (int i = 0; i < 1000; i++) {
      g.put(fiber());
    }
    Worker taker = new Worker(Scheduler.get(), 9997, 0);
    assertNotNull(g.take(taker, 4, RunQueue.CAPACITY / 2));
    // size / procs + 1 = 251, capped at half a ring: one returned, 127 more in the ring.
    assertEquals(RunQueue.CAPACITY / 2 - 1, taker.runq.size());
    assertEquals(1000 - RunQueue.CAPACITY / 2, g.size());
  }

  @Test
  void aFiberThatRanBeforeLeavesTheGlobalQueueBeforeFibersThatNeverRan() {
    GlobalQueue g = new GlobalQueue();
    Fiber[] fresh = new Fiber[3];
    for (int i = 0; i < fresh.length; i++) {
      fresh[i] = fiber();
      g.put(fresh[i]);
    }
    Fiber woken = fiber();
    woken.mode = Fiber.NORMAL; // as a suspended fiber's is
    g.put(woken);
    assertTrue(g.hasResumed());
    Worker taker = new Worker(Scheduler.get(), 9996, 0);
    assertSame(woken, g.takeResumed(taker, 1, 1));
    assertFalse(g.hasResumed());
    assertNull(g.takeResumed(taker, 1, 1), "only fibers that ran before");
    g.put(woken);
    assertSame(woken, g.take(taker, 1, 1), "taken first, though queued last");
    for (Fiber f : fresh) {
      assertSame(f, g.take(taker, 1, 1));
    }
    assertTrue(g.isEmpty());
  }

  @Test
  void aSpillSortsTheRingIntoTheTwoLanesInOrder() {
    RunQueue q = new RunQueue();
    GlobalQueue g = new GlobalQueue();
    Fiber[] fs = new Fiber[RunQueue.CAPACITY + 1];
    for (int i = 0; i < fs.length; i++) {
      fs[i] = fiber();
      if (i % 2 == 1) {
        fs[i].mode = Fiber.NORMAL;
      }
      q.put(fs[i], false, g);
    }
    Worker taker = new Worker(Scheduler.get(), 9995, 0);
    for (int i = 1; i < RunQueue.CAPACITY / 2; i += 2) {
      assertSame(fs[i], g.takeResumed(taker, 1, 1));
    }
    assertFalse(g.hasResumed());
    for (int i = 0; i < RunQueue.CAPACITY / 2; i += 2) {
      assertSame(fs[i], g.take(taker, 1, 1));
    }
    assertSame(fs[RunQueue.CAPACITY], g.take(taker, 1, 1));
    assertTrue(g.isEmpty());
  }

  @Test
  void aStreamOfWakeUpsDelaysNewFibersButNeverStopsThem() {
    GlobalQueue g = new GlobalQueue();
    Fiber[] fresh = new Fiber[3];
    for (int i = 0; i < fresh.length; i++) {
      fresh[i] = fiber();
      g.put(fresh[i]);
    }
    Worker taker = new Worker(Scheduler.get(), 9994, 0);
    int next = 0;
    for (int i = 1; i <= 10 * GlobalQueue.FRESH_EVERY; i++) {
      Fiber woken = fiber();
      woken.mode = Fiber.NORMAL; // as a suspended fiber's is
      g.put(woken); // one more wake-up for every fiber taken: the lane of old fibers never empties
      Fiber f = g.take(taker, 1, 1);
      if (i % GlobalQueue.FRESH_EVERY == 0 && next < fresh.length) {
        assertSame(fresh[next++], f, "a new fiber every " + GlobalQueue.FRESH_EVERY + " takes");
      } else {
        assertNotEquals(Fiber.ARMED, f.mode, "otherwise the fibers that ran before");
      }
    }
    assertEquals(fresh.length, next, "every new fiber started");
  }

  @Test
  void theRegistryCountsAndListsLiveFibersAndReusesSlots() {
    FiberRegistry r = new FiberRegistry();
    Fiber[] fs = new Fiber[1000];
    for (int i = 0; i < fs.length; i++) {
      fs[i] = fiber();
      r.register(fs[i]);
    }
    assertEquals(1000, r.count());
    Set<Integer> slots = new HashSet<>();
    for (Fiber f : fs) {
      assertTrue(slots.add(f.slot), "slots are unique");
    }
    for (int i = 0; i < 500; i++) {
      r.unregister(fs[i]);
      r.unregister(fs[i]); // twice is harmless
    }
    assertEquals(500, r.count());
    assertEquals(500, r.snapshot().size());
    assertFalse(r.snapshot().contains(fs[0]));
    for (int i = 500; i < 1000; i++) {
      r.unregister(fs[i]);
    }
    assertEquals(0, r.count());
  }
  @Test
  void theRegistryHoldsAboutFourBytesPerFiberInArraysNoneOfThemHuge() {
    // A million-stage pipeline registers a million fibers from one worker, so one stripe. A
    // single array doubled to 2^20 slots took 4 MB, which the collector keeps in humongous
    // regions (8 MB with a 4 MB region): 8 bytes per fiber instead of 4.
    FiberRegistry r = new FiberRegistry();
    int n = 300_000;
    Fiber[] fs = new Fiber[n];
    for (int i = 0; i < n; i++) {
      fs[i] = fiber();
      r.register(fs[i]);
    }
    assertEquals(n, r.count());
    assertTrue(
        r.slotBytes() <= 4L * n + 64 * 1024,
        "slot arrays take " + r.slotBytes() + " bytes for " + n + " fibers");
    assertTrue(
        r.largestSlotArrayBytes() <= 64 * 1024,
        "largest slot array is " + r.largestSlotArrayBytes() + " bytes");
    Set<Integer> slots = new HashSet<>();
    for (Fiber f : fs) {
      assertTrue(slots.add(f.slot), "slots are unique");
    }
    assertEquals(n, r.snapshot().size());
    for (int i = 0; i < n; i += 2) {
      r.unregister(fs[i]);
    }
    assertEquals(n / 2, r.count());
    assertFalse(r.snapshot().contains(fs[0]));
    assertTrue(r.snapshot().contains(fs[n - 1]));
    Fiber again = fiber();
    r.register(again);
    for (int i = 1; i < n; i += 2) {
      assertTrue(fs[i].slot != again.slot, "a live fiber's slot was handed out again");
    }
    for (int i = 1; i < n; i += 2) {
      r.unregister(fs[i]);
    }
    r.unregister(again);
    assertEquals(0, r.count());
    assertEquals(0, r.snapshot().size());
    assertTrue(r.slotBytes() <= 64 * 1024, "emptied after the burst: " + r.slotBytes());
  }
}
