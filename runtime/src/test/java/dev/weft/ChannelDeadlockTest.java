package dev.weft;

import static dev.weft.SyncTestKit.HANG_GUARD;
import static dev.weft.SyncTestKit.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What channels, select, WaitGroup and Mutex tell the deadlock detector: a fiber parked on one that
 * only fibers use is stuck; one that a plain thread has used may still be woken.
 */
class ChannelDeadlockTest {

  private static DeadlockException deadlock(SuspendableRunnable main) {
    return assertTimeoutPreemptively(
        HANG_GUARD, () -> assertThrows(DeadlockException.class, () -> Weft.run(main)));
  }

  @Test
  void receiveNobodyCanSendToIsADeadlock() {
    DeadlockException e = deadlock(() -> Channel.<String>make().receive());
    assertTrue(e.getMessage().contains("receive from Channel[unbuffered]"), e.getMessage());
  }

  @Test
  void sendNobodyCanReceiveIsADeadlock() {
    DeadlockException e = deadlock(() -> Channel.<String>make().send("lost"));
    assertTrue(e.getMessage().contains("send to Channel[unbuffered]"), e.getMessage());
  }

  @Test
  void selectWithNoCasesIsADeadlock() {
    DeadlockException e = deadlock(() -> Select.select());
    assertTrue(e.getMessage().contains("select with no cases"), e.getMessage());
  }

  @Test
  void selectOnSilentChannelsIsADeadlock() {
    Channel<String> a = Channel.make();
    Channel<String> b = Channel.make();
    DeadlockException e = deadlock(() -> Select.select(Select.receive(a), Select.send(b, "x")));
    assertTrue(e.getMessage().contains("select on receive from Channel"), e.getMessage());
  }

  @Test
  void lockingAHeldMutexTwiceIsADeadlock() {
    DeadlockException e =
        deadlock(
            () -> {
              Mutex mu = new Mutex();
              mu.lock();
              mu.lock();
            });
    assertTrue(e.getMessage().contains("lock Mutex[locked"), e.getMessage());
  }

  @Test
  void awaitingAWaitGroupNobodyCountsDownIsADeadlock() {
    DeadlockException e =
        deadlock(
            () -> {
              WaitGroup wg = new WaitGroup();
              wg.add(1);
              wg.await();
            });
    assertTrue(e.getMessage().contains("await WaitGroup[counter=1]"), e.getMessage());
  }

  @Test
  void aChannelAPlainThreadUsedCanStillWakeTheFiber() throws Exception {
    Channel<String> ch = Channel.make();
    ch.trySend("nobody listens yet"); // a plain thread has now used the channel
    CompletableFuture<String> result =
        CompletableFuture.supplyAsync(
            () -> Weft.call(ch::receive), runnable -> new Thread(runnable).start());
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          awaitCondition(() -> ch.waitingReceivers() == 1);
          ch.send("from a plain thread");
          assertEquals("from a plain thread", result.get());
        });
  }
}
