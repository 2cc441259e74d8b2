import java.util.concurrent.SynchronousQueue;

/** FiberHello on Java 21+ virtual threads: one thread started, one message handed over. */
public final class VirtualHello {
  public static void main(String[] args) throws InterruptedException {
    SynchronousQueue<String> greetings = new SynchronousQueue<>();
    Thread sender =
        Thread.startVirtualThread(
            () -> {
              try {
                greetings.put("hello");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    System.out.println(greetings.take());
    sender.join();
  }
}
