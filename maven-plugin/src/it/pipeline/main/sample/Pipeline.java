package sample;

import dev.weft.Channel;
import dev.weft.Suspendable;
import dev.weft.Weft;

/** Numbers through a stage over unbuffered channels, and an audit fiber counting them. */
public class Pipeline {
  @Suspendable
  static void produce(Channel<Integer> out, int n) {
    for (int i = 1; i <= n; i++) {
      out.send(i);
    }
    out.close();
  }

  @Suspendable
  static void relay(Channel<Integer> in, Stage stage, Channel<Integer> out, Channel<String> log) {
    for (Integer v; (v = in.receive()) != null; ) {
      int w = stage.apply(v);
      Audit.record(log, v + "->" + w);
      out.send(w);
    }
    out.close();
  }

  public static long run(Stage stage, int n) {
    return Weft.call(() -> {
      Channel<Integer> numbers = Channel.make();
      Channel<Integer> results = Channel.make();
      Channel<String> log = Channel.make();
      Weft.go(() -> produce(numbers, n));
      Weft.go(() -> relay(numbers, stage, results, log));
      Channel<Integer> audited = Channel.make(1);
      Weft.go(() -> {
        int lines = 0;
        while (log.receive() != null) {
          lines++;
        }
        audited.send(lines);
      });
      long sum = 0;
      for (Integer r; (r = results.receive()) != null; ) {
        sum += r;
      }
      log.close();
      return sum * 1000 + audited.receive();
    });
  }

  public static void main(String[] args) {
    long r = run(new Square(), 100);
    System.out.println("sum " + r / 1000 + ", audited " + r % 1000);
  }
}
