package dev.weft;

import static dev.weft.SyncTestKit.atProcs;
import static dev.weft.SyncTestKit.awaitCondition;
import static dev.weft.SyncTestKit.joinAll;
import static dev.weft.SyncTestKit.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.SyncTestKit.Party;
import dev.weft.SyncTestKit.Side;
import dev.weft.frame.UninstrumentedFrameError;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's select: one case performed, chosen fairly, waiting on all at once. */
class SelectTest {

  @Test
  void performsTheOnlyReadyCase() {
    Channel<String> empty = Channel.make(1);
    Channel<String> full = Channel.make(1);
    full.send("ready");
    var a = Select.receive(empty);
    var b = Select.receive(full);
    assertEquals(1, Select.select(a, b));
    assertEquals("ready", b.value());
    assertTrue(b.ok());
    assertNull(a.value());
    assertFalse(a.ok(), "a case the select did not choose is not filled in");
    assertEquals(0, full.len());
  }

  @Test
  void aSendCaseProceedsIntoTheBuffer() {
    Channel<Integer> full = Channel.make(1);
    full.send(0);
    Channel<Integer> room = Channel.make(1);
    var a = Select.send(full, 1);
    var b = Select.send(room, 2);
    assertEquals(1, Select.select(a, b));
    assertTrue(b.ok());
    assertNull(b.value(), "a send case has no value");
    assertEquals(2, room.tryReceive());
  }

  @Test
  void trySelectReturnsMinusOneWhenNothingIsReady() {
    Channel<String> a = Channel.make();
    Channel<String> b = Channel.make(1);
    Channel<String> c = Channel.make(1);
    c.send("full");
    assertEquals(-1, Select.trySelect(Select.receive(a), Select.receive(b), Select.send(c, "x")));
    assertEquals(-1, Select.trySelect());
    assertEquals(1, c.len(), "nothing was done");
  }

  @Test
  void aReceiveCaseOnAClosedChannelReportsNotOk() {
    Channel<String> ch = Channel.make();
    ch.close();
    var r = Select.receive(ch);
    assertEquals(0, Select.select(r));
    assertNull(r.value());
    assertFalse(r.ok());
  }

  @Test
  void aClosedChannelIsDrainedFirst() {
    Channel<String> ch = Channel.make(1);
    ch.send("last");
    ch.close();
    var r = Select.receive(ch);
    assertEquals(0, Select.trySelect(r));
    assertEquals("last", r.value());
    assertTrue(r.ok());
    assertEquals(0, Select.trySelect(r));
    assertFalse(r.ok());
  }

  @Test
  void aChosenSendCaseOnAClosedChannelThrows() {
    Channel<String> ch = Channel.make(1);
    ch.close();
    ChannelClosedException e =
        assertThrows(ChannelClosedException.class, () -> Select.select(Select.send(ch, "x")));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(ChannelClosedException.class, () -> Select.trySelect(Select.send(ch, "x")));
  }

  @ParameterizedTest(name = "maxprocs={0} selector={1} partner={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void waitsUntilAPartnerArrives(int procs, Side selector, Side partner) {
    atProcs(
        procs,
        () -> {
          Channel<String> a = Channel.make();
          Channel<String> b = Channel.make();
          var ra = Select.receive(a);
          var rb = Select.receive(b);
          int[] chosen = {-2};
          Party s = start(selector, () -> chosen[0] = Select.select(ra, rb));
          awaitCondition(() -> a.waitingReceivers() == 1 && b.waitingReceivers() == 1);
          Party p = start(partner, () -> b.send("on b"));
          joinAll(s, p);
          assertEquals(1, chosen[0]);
          assertEquals("on b", rb.value());
          assertTrue(rb.ok());
          assertEquals(0, a.waitingReceivers(), "the losing case is withdrawn");
          assertFalse(a.trySend("nobody"));
        });
  }

  @ParameterizedTest(name = "maxprocs={0} selector={1} partner={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void aWaitingSendCaseIsTakenByAReceiver(int procs, Side selector, Side partner) {
    atProcs(
        procs,
        () -> {
          Channel<String> in = Channel.make();
          Channel<String> out = Channel.make();
          var r = Select.receive(in);
          var s = Select.send(out, "sent by select");
          int[] chosen = {-2};
          Party sel = start(selector, () -> chosen[0] = Select.select(r, s));
          awaitCondition(() -> out.waitingSenders() == 1);
          String[] got = new String[1];
          Party p = start(partner, () -> got[0] = out.receive());
          joinAll(sel, p);
          assertEquals(1, chosen[0]);
          assertEquals("sent by select", got[0]);
          assertTrue(s.ok());
          assertEquals(0, in.waitingReceivers());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} selector={1} closer={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void closingAChannelWakesAWaitingSelect(int procs, Side selector, Side closer) {
    atProcs(
        procs,
        () -> {
          Channel<String> a = Channel.make();
          Channel<String> b = Channel.make();
          var ra = Select.receive(a);
          var sb = Select.send(b, "x");
          int[] chosen = {-2};
          Party sel = start(selector, () -> chosen[0] = Select.select(ra, sb));
          awaitCondition(() -> a.waitingReceivers() == 1);
          Party c = start(closer, a::close);
          joinAll(sel, c);
          assertEquals(0, chosen[0]);
          assertFalse(ra.ok());
          assertEquals(0, b.waitingSenders());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} selector={1} closer={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void closingTheChannelOfAWaitingSendCaseMakesTheSelectThrow(
      int procs, Side selector, Side closer) {
    atProcs(
        procs,
        () -> {
          Channel<String> a = Channel.make();
          Channel<String> b = Channel.make();
          Party sel =
              start(selector, () -> Select.select(Select.receive(a), Select.send(b, "x")));
          awaitCondition(() -> b.waitingSenders() == 1);
          Party c = start(closer, b::close);
          c.join();
          assertInstanceOf(ChannelClosedException.class, sel.joinFailure());
          assertEquals(0, a.waitingReceivers());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} side={1}")
  @MethodSource("dev.weft.SyncTestKit#procsAndSide")
  void casesCanBeReusedInALoop(int procs, Side side) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> numbers = Channel.make();
          Channel<Integer> quit = Channel.make();
          long[] sum = {0};
          Party loop =
              start(
                  side,
                  () -> {
                    var n = Select.receive(numbers);
                    var q = Select.receive(quit);
                    while (Select.select(n, q) == 0) {
                      sum[0] += n.value();
                    }
                  });
          for (int i = 1; i <= 1000; i++) {
            numbers.send(i);
          }
          quit.send(0);
          loop.join();
          assertEquals(500_500, sum[0]);
        });
  }

  @ParameterizedTest(name = "maxprocs={0} a={1} b={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void selectsLockingChannelsInOppositeOrderDoNotDeadlock(int procs, Side sideA, Side sideB) {
    atProcs(
        procs,
        () -> {
          Channel<Integer> x = Channel.make();
          Channel<Integer> y = Channel.make();
          int rounds = 2_000;
          AtomicInteger exchanges = new AtomicInteger();
          Party a =
              start(
                  sideA,
                  () -> {
                    var rx = Select.receive(x);
                    var sy = Select.send(y, 1);
                    for (int i = 0; i < rounds; i++) {
                      Select.select(rx, sy);
                      exchanges.incrementAndGet();
                    }
                  });
          Party b =
              start(
                  sideB,
                  () -> {
                    var sx = Select.send(x, 2);
                    var ry = Select.receive(y);
                    for (int i = 0; i < rounds; i++) {
                      Select.select(sx, ry);
                      exchanges.incrementAndGet();
                    }
                  });
          joinAll(a, b);
          assertEquals(2 * rounds, exchanges.get());
        });
  }

  @ParameterizedTest(name = "maxprocs={0} selector={1} partner={2}")
  @MethodSource("dev.weft.SyncTestKit#matrix")
  void sendAndReceiveOnTheSameChannelInOneSelect(int procs, Side selector, Side partner) {
    atProcs(
        procs,
        () -> {
          Channel<String> ch = Channel.make();
          var r = Select.receive(ch);
          var s = Select.send(ch, "from select");
          int[] chosen = {-2};
          Party sel = start(selector, () -> chosen[0] = Select.select(r, s));
          awaitCondition(() -> ch.waitingReceivers() == 1 && ch.waitingSenders() == 1);
          Party p = start(partner, () -> ch.send("from partner"));
          joinAll(sel, p);
          assertEquals(0, chosen[0]);
          assertEquals("from partner", r.value());
          assertEquals(0, ch.waitingSenders(), "the send case was withdrawn");
        });
  }

  @ParameterizedTest(name = "maxprocs={0}")
  @ValueSource(ints = {1, 2})
  void manySelectsCompeteForEachValueAndEachValueIsTakenOnce(int procs) {
    atProcs(
        procs,
        () -> {
          int selectors = 20;
          int values = 2_000;
          Channel<Integer> a = Channel.make();
          Channel<Integer> b = Channel.make();
          Channel<Long> sums = Channel.make(selectors);
          for (int i = 0; i < selectors; i++) {
            Weft.go(
                () -> {
                  var ra = Select.receive(a);
                  var rb = Select.receive(b);
                  long sum = 0;
                  boolean aOpen = true;
                  boolean bOpen = true;
                  while (aOpen && bOpen) {
                    int k = Select.select(ra, rb);
                    var c = k == 0 ? ra : rb;
                    if (c.ok()) {
                      sum += c.value();
                    } else if (k == 0) {
                      aOpen = false;
                    } else {
                      bOpen = false;
                    }
                  }
                  // Go would set the closed channel to nil; here, drain the other one alone.
                  Channel<Integer> rest = aOpen ? a : b;
                  for (Integer v; (v = rest.receive()) != null; ) {
                    sum += v;
                  }
                  sums.send(sum);
                });
          }
          Party feedA =
              start(
                  Side.FIBER,
                  () -> {
                    for (int i = 0; i < values; i += 2) {
                      a.send(i);
                    }
                  });
          Party feedB =
              start(
                  Side.THREAD,
                  () -> {
                    for (int i = 1; i < values; i += 2) {
                      b.send(i);
                    }
                  });
          joinAll(feedA, feedB);
          a.close();
          b.close();
          long total = 0;
          for (int i = 0; i < selectors; i++) {
            total += sums.receive();
          }
          assertEquals((long) values * (values - 1) / 2, total);
        });
  }

  @Test
  void selectTakesAList() {
    Channel<String> a = Channel.make(1);
    Channel<String> b = Channel.make(1);
    b.send("b");
    List<Select.Case<String>> cases = List.of(Select.receive(a), Select.receive(b));
    assertEquals(1, Select.select(cases));
    assertEquals("b", cases.get(1).value());
  }

  @Test
  void manyCasesAreLockedInOrderToo() {
    // Above the small-select threshold the lock order is sorted rather than searched.
    Channel<Integer>[] chans = newChannels(20, 1);
    chans[13].send(13);
    Select.Case<?>[] cases = new Select.Case<?>[chans.length + 1];
    for (int i = 0; i < chans.length; i++) {
      cases[i] = Select.receive(chans[i]);
    }
    cases[chans.length] = Select.receive(chans[5]); // a channel twice is fine
    assertEquals(13, Select.select(cases));
    assertEquals(13, cases[13].value());
    assertEquals(-1, Select.trySelect(cases));
  }

  @Test
  void badArgumentsAreRejectedWithAClearMessage() {
    Channel<String> ch = Channel.make(1);
    assertThrows(NullPointerException.class, () -> Select.receive(null));
    assertThrows(NullPointerException.class, () -> Select.send(null, "x"));
    NullPointerException nullValue =
        assertThrows(NullPointerException.class, () -> Select.send(ch, null));
    assertTrue(nullValue.getMessage().contains("non-null"), nullValue.getMessage());
    var r = Select.receive(ch);
    assertThrows(NullPointerException.class, () -> Select.select(r, null));
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> Select.select(r, r));
    assertTrue(twice.getMessage().contains("once"), twice.getMessage());
    // The failed selects left the case usable.
    ch.send("fine");
    assertEquals(0, Select.trySelect(r));
    assertEquals("fine", r.value());
  }

  @Test
  void aPlainThreadInSelectWithNoCasesWaitsForever() {
    Thread t = new Thread(() -> Select.select(), "select-forever");
    t.setDaemon(true); // stays parked forever, as Go's select {}
    t.start();
    awaitCondition(() -> t.getState() == Thread.State.WAITING);
    assertTrue(t.isAlive());
  }

  @Test
  void anUninstrumentedCallerFailsTheSelectAndLeavesNoCaseBehind() throws Throwable {
    Channel<String> a = Channel.make();
    Channel<String> b = Channel.make();
    Party p =
        start(
            Side.FIBER,
            () -> {
              var ra = Select.receive(a);
              var rb = Select.receive(b);
              Runnable plain = () -> Select.select(ra, rb);
              assertThrows(UninstrumentedFrameError.class, plain::run);
              assertEquals(0, a.waitingReceivers());
              assertEquals(0, b.waitingReceivers());
              Weft.go(() -> b.send("again"));
              assertEquals(1, Select.select(ra, rb), "the cases are usable again");
              assertEquals("again", rb.value());
            });
    p.join();
  }

  @SuppressWarnings("unchecked")
  private static Channel<Integer>[] newChannels(int n, int capacity) {
    Channel<Integer>[] chans = new Channel[n];
    for (int i = 0; i < n; i++) {
      chans[i] = Channel.make(capacity);
    }
    return chans;
  }

  /**
   * A select of more than eight cases keeps its lock order in its first case; a later select that
   * shares that first case but not the others must lock and unlock its own channels, not the kept
   * ones (a stale order would leave its channels locked, and the sends after it would hang).
   */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aLargeSelectThatReusesItsFirstCaseWithOtherCasesLocksItsOwnChannels() {
    Channel<Integer> shared = Channel.make(1);
    Channel<Integer>[] first = newChannels(9, 1);
    Channel<Integer>[] second = newChannels(9, 1);
    Select.Case<Integer> head = Select.receive(shared);
    for (int round = 0; round < 3; round++) {
      for (Channel<Integer>[] set : List.of(first, second)) {
        set[4].send(round);
        Select.Case<?>[] cases = new Select.Case<?>[set.length + 1];
        cases[0] = head;
        for (int i = 0; i < set.length; i++) {
          cases[i + 1] = Select.receive(set[i]);
        }
        assertEquals(5, Select.select(cases));
        assertEquals(round, ((Select.Case<?>) cases[5]).value());
        for (Channel<Integer> ch : set) {
          assertTrue(ch.trySend(7), "every channel of the select is unlocked and usable");
          assertEquals(7, ch.receive());
        }
      }
    }
  }
}
