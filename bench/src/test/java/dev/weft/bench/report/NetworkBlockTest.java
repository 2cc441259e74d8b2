package dev.weft.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each script owns its sections of docs/performance.md: net.sh's section goes in, and is replaced,
 * without changing a byte of the others; compare.sh's regenerated page gets it back.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NetworkBlockTest {
  private static final String PAGE =
      "# Performance\n\n## Ping-pong\n\nfigures\n\n## How this was measured\n\n* fresh processes\n";

  @Test
  void goesBeforeTheClosingSectionAndLeavesTheRestAsItWas() {
    String page = NetworkBlock.splice(PAGE, "## Network\n\nfirst run\n");
    assertTrue(page.startsWith("# Performance\n\n## Ping-pong\n\nfigures\n\n" + NetworkBlock.BEGIN));
    assertTrue(page.endsWith(NetworkBlock.END + "\n\n## How this was measured\n\n* fresh processes\n"));
    assertEquals("## Network\n\nfirst run\n", NetworkBlock.extract(page));
  }

  @Test
  void aLaterRunReplacesItsSectionOnly() {
    String once = NetworkBlock.splice(PAGE, "## Network\n\nfirst run\n");
    String twice = NetworkBlock.splice(once, "## Network\n\nsecond run\n");
    assertEquals(once.replace("first run", "second run"), twice);
    assertEquals(twice, NetworkBlock.splice(twice, NetworkBlock.extract(twice)));
  }

  @Test
  void aPageWithoutItHasNone() {
    assertNull(NetworkBlock.extract(PAGE));
    assertNull(NetworkBlock.extract(""));
  }

  @Test
  void aPageWithoutAClosingSectionGetsItAtTheEndAndNoPageGetsAPageOfItsOwn() {
    String page = NetworkBlock.splice("# Performance\n\ntext\n", "## Network\n");
    assertTrue(page.startsWith("# Performance\n\ntext\n\n" + NetworkBlock.BEGIN), page);
    assertTrue(page.endsWith(NetworkBlock.END + "\n"), page);
    assertTrue(NetworkBlock.splice("", "## Network\n").startsWith("# Performance\n\n"));
  }
}
