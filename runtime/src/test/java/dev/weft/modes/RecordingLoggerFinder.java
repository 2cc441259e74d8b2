package dev.weft.modes;

import java.util.List;
import java.util.ResourceBundle;

/**
 * A logger finder, as a logging library brings: each record goes to standard output as one
 * {@code LOGGED name level message [thrown]} line. The loggers named in {@code
 * -Dtest.silenced=a,b} log nothing. Registered only in the JVMs LoggingTest starts, through a
 * services file it writes.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {
  @Override
  public System.Logger getLogger(String name, Module module) {
    boolean silenced = List.of(System.getProperty("test.silenced", "").split(",")).contains(name);
    return new System.Logger() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public boolean isLoggable(Level level) {
        return !silenced;
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        String first = msg.lines().findFirst().orElse("");
        System.out.println("LOGGED " + name + " " + level + " " + first + (thrown == null ? "" : " [" + thrown + "]"));
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        log(level, bundle, java.text.MessageFormat.format(format, params), (Throwable) null);
      }
    };
  }
}
