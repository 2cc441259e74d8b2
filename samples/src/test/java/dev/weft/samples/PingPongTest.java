package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PingPongTest {
  @Test
  void countsMessagesOnOneWorker() throws Exception {
    Captured c =
        HangGuard.within(
            () ->
                Captured.run(PingPong::run, "--seconds", "0.3", "--warmup", "0.1", "--procs", "1"));
    assertEquals(0, c.status, c.toString());
    assertTrue(c.out.contains("GOMAXPROCS=1"), c.toString());
    double rate = c.number("PingPong: ([\\d,]+) messages per second");
    double messages = c.number("([\\d,]+) messages in");
    assertTrue(rate > 0, c.toString());
    assertEquals(0, messages % 2, "every round trip is two one-way messages: " + c);
  }

  @Test
  void rejectsBadOptions() throws Exception {
    Captured c = Captured.run(PingPong::run, "--seconds", "-1");
    assertEquals(CommandLine.USAGE_STATUS, c.status);
    assertTrue(c.err.contains("--seconds must be at least"), c.toString());
    assertTrue(c.err.contains("usage: PingPong"), c.toString());
  }
}
