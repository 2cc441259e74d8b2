import dev.weft.Channel;
import dev.weft.Weft;

/** Starts one fiber and receives one message from it: the least a Weft program does. */
public final class FiberHello {
  public static void main(String[] args) {
    Weft.run(
        () -> {
          Channel<String> greetings = Channel.make();
          Weft.go(() -> greetings.send("hello"));
          System.out.println(greetings.receive());
        });
  }
}
