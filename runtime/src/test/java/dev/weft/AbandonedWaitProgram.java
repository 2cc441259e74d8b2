package dev.weft;

/**
 * Run in a JVM of its own with a tiny {@code -Dweft.stack.limit}: a fiber waits deep in recursion,
 * so saving its frames exceeds the limit and the fiber dies while unwinding from its wait. Then
 * main checks that the dead fiber's wait left its queue. Prints one line per check, {@code
 * name=value}, for {@link AbandonedWaitTest}.
 */
public final class AbandonedWaitProgram {
  private AbandonedWaitProgram() {}

  /** Deep enough that the saved frames outgrow a 2 KB limit. */
  private static final int DEPTH = 200;

  public static void main(String[] args) {
    String kind = args[0];
    java.util.concurrent.CountDownLatch died = new java.util.concurrent.CountDownLatch(1);
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> {
          System.out.println("fiber died: " + e);
          died.countDown();
        });
    Weft.run(
        () -> {
          Channel<String> ch = Channel.make();
          Channel<String> other = Channel.make();
          Mutex mu = new Mutex();
          WaitGroup wg = new WaitGroup();
          wg.add(1);
          mu.lock();
          int before = Weft.numFibers();
          Weft.go(() -> deep(DEPTH, kind, ch, other, mu, wg));
          while (Weft.numFibers() > before || died.getCount() > 0) {
            Weft.gosched(); // until the deep fiber has died and been reported, after its cleanup
          }
                    switch (kind) {
            case "receive":
            case "select":
              System.out.println("delivered=" + ch.trySend("value"));
              break;
            case "send":
              System.out.println("received=" + ch.tryReceive());
              break;
            case "mutex":
              {
                // A live locker queues behind where the dead one was; the unlock must reach it.
                java.util.concurrent.atomic.AtomicBoolean locked =
                    new java.util.concurrent.atomic.AtomicBoolean();
                int queued = mu.waitingLockers(); // the dead locker still counts without the fix
                Weft.go(
                    () -> {
                      mu.lock();
                      locked.set(true);
                    });
                while (mu.waitingLockers() <= queued) {
                  Weft.gosched();
                }
                mu.unlock();
                long giveUp = System.nanoTime() + 10_000_000_000L; // fails the check, never waits
                while (!locked.get() && System.nanoTime() - giveUp < 0) {
                  Weft.gosched();
                }
                System.out.println("handedOn=" + locked.get());
                break;
              }
            case "waitgroup":
              System.out.println("waiting=" + wg.waitingAwaiters());
              break;
            default:
              throw new IllegalArgumentException(kind);
          }
        });
  }

  @Suspendable
  private static void deep(
      int n, String kind, Channel<String> ch, Channel<String> other, Mutex mu, WaitGroup wg) {
    if (n > 0) {
      deep(n - 1, kind, ch, other, mu, wg);
      return;
    }
    switch (kind) {
      case "receive":
        ch.receive();
        break;
      case "select":
        Select.select(Select.receive(ch), Select.receive(other));
        break;
      case "send":
        ch.send("lost");
        break;
      case "mutex":
        mu.lock();
        break;
      case "waitgroup":
        wg.await();
        break;
      default:
        throw new IllegalArgumentException(kind);
    }
  }
}
