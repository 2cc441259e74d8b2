package dev.weft.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The resident set size of this process: the physical memory it holds, heap, thread stacks and
 * everything else, as the kernel counts it. Read from {@code /proc/self/status}, so Linux only.
 *
 * <pre>{@code
 * long rss = ResidentMemory.bytes();   // -1 where the system does not say
 * }</pre>
 */
public final class ResidentMemory {
  private static final Path STATUS = Paths.get("/proc/self/status");

  private ResidentMemory() {}

  /** Resident bytes now, or -1 when this system does not publish them. */
  public static long bytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring("VmRSS:".length()).trim();
          return Long.parseLong(kb.substring(0, kb.indexOf(' '))) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an unexpected format: say unknown rather than guess
    }
    return -1;
  }
}
