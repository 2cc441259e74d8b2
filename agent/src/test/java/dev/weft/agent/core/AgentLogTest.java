package dev.weft.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.agent.CapturedErr;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent speaks through the dev.weft.agent System.Logger: with the JDK's logger finder, on
 * System.err as a [weft] line, unless the logger's level is above the message's.
 */
@Timeout(10)
class AgentLogTest {

  @Test
  void aWarningIsOneLineOnSystemErrUnlessItsLoggerIsOff() {
    String said = CapturedErr.of(() -> AgentLog.warn("test warning 1"));
    assertEquals("[weft] warning: test warning 1" + System.lineSeparator(), said);
    Logger jul = Logger.getLogger(AgentLog.NAME); // held: java.util.logging keeps loggers weakly
    Level before = jul.getLevel();
    jul.setLevel(Level.OFF);
    try {
      assertEquals("", CapturedErr.of(() -> AgentLog.warn("test warning 2")));
    } finally {
      jul.setLevel(before);
    }
  }
}
